import { type Kysely, type MigrationResultSet, Migrator } from "kysely";
import type { Database } from "./database.js";
import type { DialectName } from "./dialect-name.js";
import { MigrationFailedError } from "./errors.js";
import { migrationsFor } from "./migrations/index.js";

const TABLE = "nines_migrations";

function migrator(db: Kysely<Database>, dialect: DialectName): Migrator {
  const migrations = migrationsFor(dialect);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: TABLE,
    migrationLockTableName: `${TABLE}_lock`,
  });
}

/** Applies every pending migration; returns the names applied now. */
export async function migrateToLatest(db: Kysely<Database>, dialect: DialectName): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db, dialect).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "(unknown)";
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationFailedError(`migration ${failed} failed: ${reason}`, { migration: failed });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(db: Kysely<Database>, dialect: DialectName): Promise<string[]> {
  const all = await migrator(db, dialect).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
