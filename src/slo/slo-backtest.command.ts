import { type Command, Option } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { backtest } from "./backtest.js";
import { formatBacktest } from "./backtest-report.js";
import { tryParseDuration } from "./duration.js";
import type { Slo } from "./model.js";
import { type CsvSample, csvFileLines, parseSliCsv } from "./sli-csv.js";
import { type CommandIo, processIo, readSpecPaths } from "./slo.commands.js";
import { displayUrl, PrometheusBackends } from "./sources/prometheus-client.js";
import { prometheusSource } from "./sources/prometheus-source.js";
import { parseTimeArg, readRange, wholeSteps } from "./sources/read-range.js";
import { formatDiagnostic, hasErrors } from "./spec/diagnostic.js";
import { parseSpecFiles } from "./spec/parse-spec-files.js";

/** `nines slo backtest SPEC --data FILE.csv`: replay recorded SLI data through the live evaluator. */
export function registerSloBacktestCommand(program: Command, io: CommandIo = processIo): void {
  const slo = program.commands.find((c) => c.name() === "slo") ?? program.command("slo");
  slo
    .command("backtest <spec>")
    .description(
      "replay SLI data (a CSV, or the spec's Prometheus source over --from/--to) through a spec's alert policy and print every alert transition",
    )
    .option("--data <file.csv>", "columns: timestamp, good|bad, total (or le=… buckets for latency SLIs)")
    .option(
      "--from <time>",
      "Prometheus source: start of the range (RFC 3339, unix seconds, now-7d); without --data",
    )
    .option("--to <time>", "Prometheus source: end of the range", "now")
    .option("--step <duration>", "Prometheus source: step of the fetched samples ({{window}})", "1m")
    .option("--slo <id>", "which SLO of the spec file (service/name), when it holds several")
    .option("--cumulative", "the counts are cumulative counters (resets are handled)")
    .option("--tick <seconds>", "evaluation tick in seconds", "30")
    .addOption(
      new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"),
    )
    .action(
      async (
        specPath: string,
        options: {
          data?: string;
          from?: string;
          to: string;
          step: string;
          slo?: string;
          cumulative?: boolean;
          tick: string;
          output: string;
        },
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
        const samples = options.data
          ? parseSliCsv(
              csvFileLines(options.data),
              slo.sli.kind === "latency" ? { thresholdSeconds: slo.sli.thresholdSeconds } : {},
            )
          : prometheusSamples(slo, options, showProgress);
        const result = await backtest(slo, samples, {
          tickMs: tickSeconds * 1000,
          kind: options.cumulative && options.data ? "cumulative" : "interval",
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

/** Samples of the spec's Prometheus source over `--from`/`--to`, fetched with `query_range`. */
function prometheusSamples(
  slo: Slo,
  options: { from?: string; to: string; step: string },
  showProgress: boolean,
): AsyncIterable<CsvSample> {
  if (slo.source.kind !== "prometheus")
    throw new CliUsageError(`${slo.id} has no Prometheus source: give its samples with --data FILE.csv`);
  if (options.from === undefined)
    throw new CliUsageError("give --from (and --to) to read the Prometheus source, or --data FILE.csv");
  const now = Date.now();
  const from = parseTimeArg(options.from, now);
  const to = parseTimeArg(options.to, now);
  if (from === undefined)
    throw new CliUsageError(`--from "${options.from}" is not a time (RFC 3339, unix seconds, now-7d)`);
  if (to === undefined)
    throw new CliUsageError(`--to "${options.to}" is not a time (RFC 3339, unix seconds, now)`);
  const stepMs = tryParseDuration(options.step);
  if (stepMs === undefined || stepMs < 1000 || stepMs % 1000 !== 0)
    throw new CliUsageError(`--step "${options.step}" must be a duration of whole seconds, e.g. 1m`);
  if (!(to - from >= stepMs)) throw new CliUsageError("--from must be at least one --step before --to");
  const range = wholeSteps(from, to, stepMs);
  const url = displayUrl(slo.source.url);
  return readRange(prometheusSource(slo, new PrometheusBackends()), range, {
    ...(showProgress
      ? {
          onChunk: (p) =>
            process.stderr.write(
              `\rfetched ${Math.round((100 * p.doneSteps) / p.steps)}% of the range from ${url}`,
            ),
        }
      : {}),
  });
}
