import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type Command, Option } from "commander";
import { type CommandIo, processIo, readSpecPaths } from "../slo/slo.commands.js";
import { formatDiagnostic, hasErrors } from "../slo/spec/diagnostic.js";
import { parseSpecFiles } from "../slo/spec/parse-spec-files.js";
import { serviceDashboards } from "./dashboards/service-dashboards.js";
import { parsePromDuration } from "./prom-duration.js";
import { compileRules } from "./rules/compile-rules.js";
import { promtoolTests } from "./rules/promtool-tests.js";
import { toPrometheusRuleYaml, toRuleFileYaml } from "./rules/rule-writer.js";

/** Parses SLO spec files for a generator; prints diagnostics and returns undefined on errors. */
function loadSlos(paths: readonly string[], io: CommandIo) {
  const files = readSpecPaths(paths, io);
  if (!files) return undefined;
  const parsed = parseSpecFiles(files);
  for (const d of parsed.diagnostics) io.err(formatDiagnostic(d));
  if (hasErrors(parsed.diagnostics)) {
    process.exitCode = 1;
    return undefined;
  }
  return parsed.slos;
}

/** `--out` names a directory when it exists as one or ends with a slash. */
function outputPath(out: string, fileName: string): string {
  const isDir = out.endsWith("/") || (existsSync(out) && statSync(out).isDirectory());
  const path = isDir ? join(out, fileName) : out;
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

export function registerPrometheusCommands(program: Command, io: CommandIo = processIo): void {
  const rules = program
    .command("rules")
    .description("compile SLO specs into Prometheus recording and alerting rules");
  rules
    .command("generate")
    .description("write Prometheus rules (and promtool unit tests) for SLOs whose source is Prometheus")
    .requiredOption("-f, --file <paths...>", "SLO spec files or directories")
    .option("--out <file|dir>", "where to write (default: standard output)")
    .addOption(
      new Option("--format <format>", "rule file format")
        .choices(["prometheus", "prometheus-operator"])
        .default("prometheus"),
    )
    .option("--tests", "also write `promtool test rules` unit tests beside the rules (needs --out)")
    .option("--name <name>", "metadata.name of the PrometheusRule", "nines-slos")
    .option("--namespace <namespace>", "metadata.namespace of the PrometheusRule")
    .option(
      "--interval <duration>",
      "rule group evaluation interval, also the unit `for` is rounded up to (e.g. 30s)",
      "1m",
    )
    .action(
      (options: {
        file: string[];
        out?: string;
        format: string;
        tests?: boolean;
        name: string;
        namespace?: string;
        interval: string;
      }) => {
        const evaluationIntervalMs = parsePromDuration(options.interval);
        if (evaluationIntervalMs === undefined || evaluationIntervalMs < 1000) {
          io.err(
            `--interval ${JSON.stringify(options.interval)} is not a Prometheus duration of at least 1s`,
          );
          process.exitCode = 2;
          return;
        }
        const slos = loadSlos(options.file, io);
        if (!slos) return;
        const compiled = compileRules(slos, { evaluationIntervalMs });
        for (const s of compiled.skipped) io.err(`skipped ${s.sloId}: ${s.reason}`);
        if (compiled.groups.length === 0) {
          io.err("no SLO with a Prometheus source to compile");
          process.exitCode = 1;
          return;
        }
        const text =
          options.format === "prometheus-operator"
            ? toPrometheusRuleYaml(compiled.groups, {
                name: options.name,
                ...(options.namespace ? { namespace: options.namespace } : {}),
              })
            : toRuleFileYaml(compiled.groups);
        if (!options.out) {
          if (options.tests) {
            io.err("--tests needs --out: the tests refer to the rule file by name");
            process.exitCode = 2;
            return;
          }
          io.out(text);
          return;
        }
        const rulePath = outputPath(options.out, "nines-slo-rules.yaml");
        writeFileSync(rulePath, text);
        io.err(`wrote ${compiled.groups.length} rule group(s) to ${rulePath}`);
        if (options.tests) {
          // The tests drive synthetic counters through the same compiled windows, thresholds and
          // `for`, so they run against a copy of the rules with the SLI queries swapped for those.
          const base = rulePath.replace(/\.ya?ml$/, "");
          const testRules = `${base}.test-rules.yaml`;
          const testPath = `${base}.test.yaml`;
          const bundle = promtoolTests(slos, { ruleFile: basename(testRules), evaluationIntervalMs });
          writeFileSync(testRules, toRuleFileYaml(bundle.groups));
          writeFileSync(testPath, bundle.testFile);
          io.err(`wrote promtool tests to ${testPath} (rules with synthetic SLI counters: ${testRules})`);
        }
      },
    );

  const dashboards = program.command("dashboards").description("Grafana dashboards for SLOs");
  dashboards
    .command("generate")
    .description(
      "write one Grafana dashboard JSON per service, reading the recording rules of `nines rules generate`",
    )
    .requiredOption("-f, --file <paths...>", "SLO spec files or directories")
    .requiredOption("--out <dir>", "directory for <service>.json files")
    .action((options: { file: string[]; out: string }) => {
      const slos = loadSlos(options.file, io);
      if (!slos) return;
      const boards = serviceDashboards(slos.filter((s) => s.source.kind === "prometheus"));
      if (boards.length === 0) {
        io.err("no SLO with a Prometheus source: dashboards read the generated recording rules");
        process.exitCode = 1;
        return;
      }
      mkdirSync(options.out, { recursive: true });
      for (const board of boards) {
        const path = join(options.out, `${board.service}.json`);
        writeFileSync(path, `${JSON.stringify(board.dashboard, null, 2)}\n`);
        io.err(`wrote ${path}`);
      }
    });
}
