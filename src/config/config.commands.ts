import type { Command } from "commander";
import { redactUrl } from "../db/create-database.js";
import { envFields } from "./env-variables.js";
import { inspectConfig } from "./load-config.js";

export function registerConfigCommands(program: Command): void {
  const config = program.command("config").description("inspect and validate the configuration");

  config
    .command("check")
    .description(
      "validate nines.yaml and NINES_* variables; print each problem with file, line and field (exit 1)",
    )
    .option("--output <format>", "table or json", "table")
    .action((options: { output: string }, command: Command) => {
      const { config: file } = command.optsWithGlobals<{ config?: string }>();
      const result = inspectConfig({ file });
      if (options.output === "json") {
        process.stdout.write(
          `${JSON.stringify({ file: result.file ?? null, problems: result.problems }, null, 2)}\n`,
        );
      } else if (result.problems.length === 0) {
        process.stdout.write(
          `configuration is valid (${result.file ?? "no file: defaults and environment"})\n`,
        );
      } else {
        for (const p of result.problems) process.stderr.write(`${p.source}: ${p.path}: ${p.message}\n`);
        process.stderr.write(`${result.problems.length} problem(s) in the configuration\n`);
      }
      if (result.problems.length > 0) process.exitCode = 1;
    });

  config
    .command("show")
    .description("print the effective configuration (defaults, file and environment merged; secrets hidden)")
    .action((_options: unknown, command: Command) => {
      const { config: file } = command.optsWithGlobals<{ config?: string }>();
      const result = inspectConfig({ file });
      const effective = {
        ...result.config,
        database: {
          ...result.config.database,
          ...(result.config.database.url ? { url: redactUrl(result.config.database.url) } : {}),
        },
        notifications: {
          ...result.config.notifications,
          ...(result.config.notifications.smtp?.password
            ? { smtp: { ...result.config.notifications.smtp, password: "********" } }
            : {}),
        },
      };
      process.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
      if (result.problems.length > 0) process.exitCode = 1;
    });

  config
    .command("env")
    .description("list the environment variables nines reads")
    .action(() => {
      for (const f of envFields())
        process.stdout.write(`${f.name.padEnd(38)} ${f.section}.${f.key} (${f.type})\n`);
      process.stdout.write(`${"DATABASE_URL".padEnd(38)} database.url, when NINES_DATABASE_URL is unset\n`);
      process.stdout.write(
        `${"NINES_ADMIN_TOKEN".padEnd(38)} admin token created on start (from \`nines token generate\`)\n`,
      );
      process.stdout.write(`${"NINES_CONFIG".padEnd(38)} configuration file (default ./nines.yaml)\n`);
    });
}
