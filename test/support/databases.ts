import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle } from "../../src/db/create-database.js";
import type { DialectName } from "../../src/db/dialect-name.js";
import { migrateToLatest } from "../../src/db/migrate.js";

/** Both engines every store test runs on, as kysely's own tests loop over their dialects. */
export const DIALECTS: readonly DialectName[] = ["sqlite", "postgres"];

export function postgresAvailable(): boolean {
  return inject("pgUrl") !== "";
}

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  /** For SQLite the file path; for PostgreSQL the database URL. */
  readonly location: string;
  readonly url: string | undefined;
  readonly sqlitePath: string;
  destroy(): Promise<void>;
}

/** A fresh, empty database of the given engine (a temp SQLite file or a new PostgreSQL database). */
export async function createTestDatabase(
  dialect: DialectName,
  options: { migrate?: boolean; onQuery?: (durationMs: number, kind: string, failed: boolean) => void } = {},
): Promise<TestDatabase> {
  const onQuery = options.onQuery ? { onQuery: options.onQuery } : {};
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "nines-sqlite-"));
    const sqlitePath = join(dir, "nines.db");
    const handle = createDatabase({ sqlitePath, ...onQuery });
    if (options.migrate !== false) await migrateToLatest(handle.db, "sqlite");
    return {
      handle,
      location: sqlitePath,
      url: undefined,
      sqlitePath,
      async destroy() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await createPostgresDatabase();
  const handle = createDatabase({ url, sqlitePath: "", poolSize: 4, ...onQuery });
  if (options.migrate !== false) await migrateToLatest(handle.db, "postgres");
  return {
    handle,
    location: url,
    url,
    sqlitePath: "",
    async destroy() {
      await handle.close();
      await dropPostgresDatabase(url);
    },
  };
}

/** Creates an empty database in the test cluster and returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const admin = inject("pgUrl");
  if (!admin) throw new Error("no PostgreSQL test cluster: install the `postgresql` package");
  const name = `nines_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: inject("pgUrl") });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}
