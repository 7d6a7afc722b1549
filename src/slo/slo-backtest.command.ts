import { type Command, Option } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { backtest } from "./backtest.js";
import { formatBacktest } from "./backtest-report.js";
import { csvFileLines, parseSliCsv } from "./sli-csv.js";
import { type CommandIo, processIo, readSpecPaths } from "./slo.commands.js";
import { formatDiagnostic, hasErrors } from "./spec/diagnostic.js";
import { parseSpecFiles } from "./spec/parse-spec-files.js";

/** `nines slo backtest SPEC --data FILE.csv`: replay recorded SLI data through the live evaluator. */
export function registerSloBacktestCommand(program: Command, io: CommandIo = processIo): void {
  const slo = program.commands.find((c) => c.name() === "slo") ?? program.command("slo");
  slo
    .command("backtest <spec>")
    .description("replay a CSV of SLI data through a spec's alert policy and print every alert transition")
    .requiredOption(
      "--data <file.csv>",
      "columns: timestamp, good|bad, total (or le=… buckets for latency SLIs)",
    )
    .option("--slo <id>", "which SLO of the spec file (service/name), when it holds several")
    .option("--cumulative", "the counts are cumulative counters (resets are handled)")
    .option("--tick <seconds>", "evaluation tick in seconds", "30")
    .addOption(
      new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"),
    )
    .action(
      async (
        specPath: string,
        options: { data: string; slo?: string; cumulative?: boolean; tick: string; output: string },
      ) => {
        const files = readSpecPaths([specPath], io);
        if (!files) return;
        const parsed = parseSpecFiles(files);
        for (const d of parsed.diagnostics) io.err(formatDiagnostic(d));
        if (hasErrors(parsed.diagnostics)) {
          process.exitCode = 1;
          return;
        }
        const slo = options.slo ? parsed.slos.find((s) => s.id === options.slo) : parsed.slos[0];
        if (!slo || (!options.slo && parsed.slos.length > 1)) {
          throw new CliUsageError(
            `pick one SLO with --slo (${parsed.slos.map((s) => s.id).join(", ") || "the file holds none"})`,
          );
        }
        const tickSeconds = Number(options.tick);
        if (!(Number.isInteger(tickSeconds) && tickSeconds > 0))
          throw new CliUsageError(`--tick must be a whole number of seconds, got "${options.tick}"`);
        const showProgress = process.stderr.isTTY === true;
        const samples = parseSliCsv(
          csvFileLines(options.data),
          slo.sli.kind === "latency" ? { thresholdSeconds: slo.sli.thresholdSeconds } : {},
        );
        const result = await backtest(slo, samples, {
          tickMs: tickSeconds * 1000,
          kind: options.cumulative ? "cumulative" : "interval",
          ...(showProgress
            ? {
                onProgress: (p) =>
                  process.stderr.write(
                    `\r${p.samples.toLocaleString("en-US")} samples, at ${new Date(p.atMs).toISOString()}`,
                  ),
              }
            : {}),
        });
        if (showProgress) process.stderr.write("\n");
        io.out(
          options.output === "json"
            ? JSON.stringify({ events: result.events, summary: result.summary }, null, 2)
            : formatBacktest(result),
        );
      },
    );
}
