import type { Command } from "commander";
import { configFrom } from "../cli/global-options.js";
import { createDatabase } from "./create-database.js";
import { migrateToLatest, pendingMigrations } from "./migrate.js";

/** Opens the configured database for a one-off command and always closes it. */
export async function withDatabase<T>(
  command: Command,
  work: (handle: ReturnType<typeof createDatabase>) => Promise<T>,
) {
  const config = configFrom(command);
  const handle = createDatabase({
    url: config.database.url,
    sqlitePath: config.database.sqlitePath,
    poolSize: 2,
  });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database schema (SQLite or PostgreSQL from DATABASE_URL)");
  db.command("migrate")
    .description("apply every pending migration (nines serve also does this on start)")
    .action(async (_options: unknown, command: Command) => {
      await withDatabase(command, async (handle) => {
        const applied = await migrateToLatest(handle.db, handle.dialect);
        process.stdout.write(
          applied.length > 0
            ? `applied ${applied.length} migration(s) on ${handle.dialect}: ${applied.join(", ")}\n`
            : `schema is current on ${handle.dialect} (${handle.location})\n`,
        );
      });
    });
  db.command("status")
    .description("list migrations not yet applied (exit 1 if any)")
    .action(async (_options: unknown, command: Command) => {
      await withDatabase(command, async (handle) => {
        const pending = await pendingMigrations(handle.db, handle.dialect);
        process.stdout.write(
          pending.length === 0 ? "schema is current\n" : `pending: ${pending.join(", ")}\n`,
        );
        if (pending.length > 0) process.exitCode = 1;
      });
    });
}
