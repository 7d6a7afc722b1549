import type { Command } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";
import { isNinesError } from "../errors/index.js";
import { type CommandIo, processIo, readSpecPaths } from "./slo.commands.js";
import type { SloSummary } from "./slo.schemas.js";
import { type Diagnostic, formatDiagnostic } from "./spec/diagnostic.js";

/**
 * `nines slo apply|list|delete`: commands that act on a running nines through its API
 * (`--url`/NINES_URL, `--token`/NINES_TOKEN), like amtool against Alertmanager.
 */
export function registerSloRemoteCommands(program: Command, io: CommandIo = processIo): void {
  const slo = program.commands.find((c) => c.name() === "slo") ?? program.command("slo");

  slo
    .command("apply")
    .description(
      "apply spec files or directories (nines/v1, OpenSLO v1, Sloth) to a running nines, all or nothing",
    )
    .requiredOption("-f, --file <paths...>", "spec files or directories")
    .option("--dry-run", "validate on the server without storing")
    .action(async (options: { file: string[]; dryRun?: boolean }, command: Command) => {
      const files = readSpecPaths(options.file, io);
      if (!files) return;
      try {
        const result = await clientFrom(command).request<{
          results: { id: string; outcome: string }[];
          warnings: Diagnostic[];
        }>("POST", "/api/v1/slos/apply", { files, ...(options.dryRun ? { dryRun: true } : {}) });
        for (const w of result.warnings) io.err(formatDiagnostic(w));
        for (const r of result.results) io.out(`${r.id} ${r.outcome}`);
      } catch (error) {
        const diagnostics = isNinesError(error)
          ? (error.details as { diagnostics?: Diagnostic[] } | null)?.diagnostics
          : undefined;
        if (!diagnostics) throw error;
        for (const d of diagnostics) io.err(formatDiagnostic(d));
        process.exitCode = 1;
      }
    });

  slo
    .command("list")
    .description("list SLOs of a running nines with SLI, budget left, burn rate and state")
    .option("--service <service>", "only this service")
    .option("--output <format>", "table or json", "table")
    .action(async (options: { service?: string; output: string }, command: Command) => {
      const query = options.service ? `?service=${encodeURIComponent(options.service)}` : "";
      const slos = await clientFrom(command).request<SloSummary[]>("GET", `/api/v1/slos${query}`);
      const format = parseOutputFormat(options.output);
      printRows(
        format === "json"
          ? slos
          : slos.map((s) => ({
              state: s.state,
              slo: s.id,
              objective: `${(s.objective * 100).toFixed(3).replace(/\.?0+$/, "")}%`,
              sli: s.sli === null ? "no data" : `${(s.sli * 100).toFixed(3)}%`,
              budgetLeft: `${(s.budgetRemaining * 100).toFixed(1)}%`,
              burn1h: s.burnRateLong.toFixed(2),
              firing: s.firing.join(",") || "-",
            })),
        format,
      );
    });

  slo
    .command("delete <id>")
    .description("delete an SLO (service/name) from a running nines; its history is kept")
    .action(async (id: string, _options: unknown, command: Command) => {
      const [service, name, extra] = id.split("/");
      if (!service || !name || extra !== undefined)
        throw new CliUsageError(`"${id}" is not an SLO id: use service/name`);
      await clientFrom(command).request(
        "DELETE",
        `/api/v1/slos/${encodeURIComponent(service ?? "")}/${encodeURIComponent(name ?? "")}`,
      );
      io.out(`deleted ${id}`);
    });
}
