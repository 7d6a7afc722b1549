import { Command, Option } from "commander";
import { registerTokenCommands } from "../auth/token.commands.js";
import { registerConfigCommands } from "../config/config.commands.js";
import { registerDbCommands } from "../db/db.commands.js";
import { registerIncidentCommands } from "../incidents/incident.commands.js";
import { registerNotificationCommands } from "../notifications/notifications.commands.js";
import { registerOncallCommands } from "../oncall/oncall.commands.js";
import { registerPrometheusCommands } from "../prometheus/prometheus.commands.js";
import { version } from "../server/package-info.js";
import { registerServeCommand } from "../server/serve.command.js";
import { registerEventLogCommands } from "../signals/event-log.commands.js";
import { registerPageCommands } from "../signals/page.commands.js";
import { registerRoutesCommands } from "../signals/routes.commands.js";
import { registerSilenceCommands } from "../signals/silence.commands.js";
import { registerTicketCommands } from "../signals/ticket.commands.js";
import { registerSloCommands } from "../slo/slo.commands.js";
import { registerSloBacktestCommand } from "../slo/slo-backtest.command.js";
import { registerSloRemoteCommands } from "../slo/slo-remote.commands.js";

/** The `nines` command tree: `nines <noun> <verb>`, `--help` on every level. */
export function createProgram(): Command {
  const program = new Command("nines")
    .description("nines: SLOs and error budgets, page/ticket/log alerting, incidents and postmortems.")
    .version(version, "-V, --version", "print the version")
    .addOption(new Option("--config <file>", "configuration file (default ./nines.yaml)").env("NINES_CONFIG"))
    .addOption(
      new Option("--url <url>", "a running nines, for commands that use its API")
        .env("NINES_URL")
        .default("http://127.0.0.1:9099"),
    )
    .addOption(new Option("--token <token>", "API token for those commands").env("NINES_TOKEN"))
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true)
    .exitOverride();

  program
    .command("version")
    .description("print the version of nines and Node.js")
    .option("--output <format>", "table or json", "table")
    .action((options: { output: string }) => {
      const info = { nines: version, node: process.version, platform: `${process.platform}/${process.arch}` };
      process.stdout.write(
        options.output === "json"
          ? `${JSON.stringify(info)}\n`
          : `nines ${version} (node ${process.version})\n`,
      );
    });

  registerServeCommand(program);
  registerConfigCommands(program);
  registerDbCommands(program);
  registerTokenCommands(program);
  registerSloCommands(program);
  registerSloRemoteCommands(program);
  registerSloBacktestCommand(program);
  registerPrometheusCommands(program);
  registerRoutesCommands(program);
  registerNotificationCommands(program);
  registerOncallCommands(program);
  registerPageCommands(program);
  registerTicketCommands(program);
  registerSilenceCommands(program);
  registerEventLogCommands(program);
  registerIncidentCommands(program);
  return program;
}
