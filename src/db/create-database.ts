import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect, SqliteDriver } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";
import type { DialectName } from "./dialect-name.js";
import { WalCheckpointer } from "./wal-checkpointer.js";
import { type SyncFile, WalSync } from "./wal-sync.js";

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
  /** How SQLite's write-ahead log is flushed (default: fdatasync on libuv's thread pool); tests gate it. */
  readonly syncWal?: SyncFile;
  /** Copy SQLite's write-ahead log into the database from a worker thread (the server does), reporting failures. */
  readonly backgroundCheckpoint?: { readonly onError: (message: string) => void; readonly everyMs?: number };
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
  const noWal =
    options.sqlitePath === ":memory:" || sqlite.pragma("journal_mode", { simple: true }) !== "wal";
  // NORMAL: commits write the log without syncing it; DurableSqliteDriver syncs it before a
  // write's promise resolves, so an acknowledged write still survives a crash or power loss.
  sqlite.pragma(noWal ? "synchronous = FULL" : "synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const checkpointer =
    options.backgroundCheckpoint && !noWal
      ? new WalCheckpointer(options.sqlitePath, options.backgroundCheckpoint)
      : undefined;
  // 1,000 pages by default; with a background checkpointer only a backstop if it falls behind.
  if (checkpointer) sqlite.pragma("wal_autocheckpoint = 16384");
  const statements = withStatementCache(sqlite);
  const wal = noWal ? undefined : new WalSync(`${options.sqlitePath}-wal`, options.syncWal);
  const db = new Kysely<Database>({
    dialect: new DurableSqliteDialect(statements, wal),
    ...(log ? { log } : {}),
  });
  return {
    db,
    dialect: "sqlite",
    location: options.sqlitePath,
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
      await wal?.close();
    },
  };
}

/** A SQLite dialect whose writes resolve only once the write-ahead log is synced (see {@link WalSync}). */
class DurableSqliteDialect extends SqliteDialect {
  constructor(
    private readonly statements: CachedStatements,
    private readonly wal: WalSync | undefined,
  ) {
    super({ database: statements });
  }

  override createDriver() {
    return new DurableSqliteDriver(this.statements, this.wal);
  }
}

class DurableSqliteDriver extends SqliteDriver {
  constructor(
    private readonly statements: CachedStatements,
    private readonly wal: WalSync | undefined,
  ) {
    super({ database: statements });
  }

  /**
   * Kysely releases the connection after a query or a transaction and only then resolves it to
   * the caller: the connection is free for the next query while this one's sync runs.
   */
  override async releaseConnection(): Promise<void> {
    const wrote = this.statements.takeWrote();
    await super.releaseConnection();
    if (wrote && this.wal) await this.wal.sync();
  }
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
type CachedStatements = ReturnType<typeof withStatementCache>;

function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  // Whether a statement that may write ran since the connection was taken: such a holder waits for the log's sync.
  let wrote = false;
  const written = (statement: SQLite.Statement) => {
    if (!statement.readonly) wrote = true;
    return statement;
  };
  return {
    close: () => sqlite.close(),
    takeWrote(): boolean {
      const was = wrote;
      wrote = false;
      return was;
    },
    prepare(sql: string): SQLite.Statement {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return written(cached);
      }
      const statement = sqlite.prepare(sql);
      if (cached === undefined && sql.length <= MAX_CACHED_SQL) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return written(statement);
    },
  };
}
