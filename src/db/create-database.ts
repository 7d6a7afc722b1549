import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";
import type { DialectName } from "./dialect-name.js";

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; otherwise SQLite at `sqlitePath`. */
  readonly url?: string | undefined;
  readonly sqlitePath: string;
  readonly poolSize?: number;
  /** Called after each query with its duration, for the query-duration histogram. */
  readonly onQuery?: (durationMs: number, kind: string, failed: boolean) => void;
  /**
   * Called when an idle PostgreSQL connection fails (server restart, failover, terminated backend).
   * The pool drops that connection and opens a new one on the next query; without a listener the
   * error would end the process.
   */
  readonly onConnectionError?: (error: Error) => void;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where the data lives, without credentials: a file path or host/database. */
  readonly location: string;
  close(): Promise<void>;
}

// PostgreSQL returns bigint (int8) as strings; nines stores millisecond timestamps and counts
// that fit in a double, so parse them as numbers everywhere.
pg.types.setTypeParser(20, (value) => Number(value));

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

export function createDatabase(options: DatabaseOptions): DatabaseHandle {
  const log = options.onQuery ? queryLogger(options.onQuery) : undefined;
  if (isPostgresUrl(options.url)) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    pool.on("error", options.onConnectionError ?? (() => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    return { db, dialect: "postgres", location: redactUrl(options.url), close: () => db.destroy() };
  }
  if (options.sqlitePath !== ":memory:") mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const sqlite = new SQLite(options.sqlitePath);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a transaction that returned is on disk, so an acknowledged write survives a crash.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    ...(log ? { log } : {}),
  });
  return { db, dialect: "sqlite", location: options.sqlitePath, close: () => db.destroy() };
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, for logs and status pages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable url)";
  }
}

function queryLogger(onQuery: NonNullable<DatabaseOptions["onQuery"]>) {
  return (event: LogEvent) => {
    const kind = event.query.query.kind.replace(/QueryNode$/, "").toLowerCase() || "raw";
    onQuery(event.queryDurationMillis, kind, event.level === "error");
  };
}

/** Prepared statements kept, most recently used last. */
const STATEMENT_CACHE_SIZE = 500;
/** Longer SQL (one-off statements with long value lists) is prepared each time, not kept. */
const MAX_CACHED_SQL = 64 * 1024;

/**
 * The database as Kysely's SQLite driver sees it, with prepared statements reused by SQL text:
 * the driver prepares every query anew, and parsing and planning were a tenth of the CPU of busy
 * write paths (outbox delivery, remote-write ingest). A statement still iterating (a streamed
 * query) is not handed out again; another is prepared beside it.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SQLite.Statement {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (cached === undefined && sql.length <= MAX_CACHED_SQL) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}
