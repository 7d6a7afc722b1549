import { type Command, Option } from "commander";
import { parseOutputFormat, printRows } from "../cli/output.js";
import { withDatabase } from "../db/db.commands.js";
import { migrateToLatest } from "../db/migrate.js";
import { authStore } from "./auth.store.js";
import type { Scope } from "./auth.tables.js";
import { generateToken, SCOPES } from "./token.js";

/**
 * Token commands work on the configured database directly (they bootstrap access, so they
 * cannot need a token themselves); run them where nines.yaml / DATABASE_URL point to the server's database.
 */
export function registerTokenCommands(program: Command): void {
  const token = program.command("token").description("API tokens (scopes: read, write, admin)");

  token
    .command("create")
    .description("create an API token and print it once (nines stores only its hash)")
    .requiredOption("--name <name>", "what the token is for, e.g. ci or grafana")
    .addOption(new Option("--scope <scope>", "read, write or admin").choices([...SCOPES]).default("read"))
    .action(async (options: { name: string; scope: Scope }, command: Command) => {
      await withDatabase(command, async (handle) => {
        await migrateToLatest(handle.db, handle.dialect);
        const created = await authStore(handle.db).createToken(options.name, options.scope);
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(
          `created token ${created.info.id} "${created.info.name}" with scope ${created.info.scope}; it is shown only this once.\n`,
        );
      });
    });

  token
    .command("list")
    .description("list tokens (ids, names, scopes; never secrets)")
    .option("--output <format>", "table or json", "table")
    .action(async (options: { output: string }, command: Command) => {
      await withDatabase(command, async (handle) => {
        await migrateToLatest(handle.db, handle.dialect);
        const tokens = await authStore(handle.db).listTokens();
        const rows = tokens.map((t) => ({
          id: t.id,
          name: t.name,
          scope: t.scope,
          created: new Date(t.createdAt).toISOString(),
          lastUsed: t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : null,
          revoked: t.revokedAt ? new Date(t.revokedAt).toISOString() : null,
        }));
        printRows(rows, parseOutputFormat(options.output));
      });
    });

  token
    .command("revoke <id>")
    .description("revoke a token and end its web sessions")
    .action(async (id: string, _options: unknown, command: Command) => {
      await withDatabase(command, async (handle) => {
        const revoked = await authStore(handle.db).revokeToken(id);
        process.stdout.write(`revoked token ${revoked.id} "${revoked.name}"\n`);
      });
    });

  token
    .command("generate")
    .description("print a fresh token without storing it (for NINES_ADMIN_TOKEN)")
    .action(() => {
      process.stdout.write(`${generateToken().token}\n`);
    });
}
