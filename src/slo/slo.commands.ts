/** `nines slo …` commands: read files, call the pure spec/explain core, print. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { formatDuration, formatDurationHuman } from "./duration.js";
import { explainSlo, type SloExplanation } from "./explain.js";
import { type Diagnostic, formatDiagnostic, hasErrors } from "./spec/diagnostic.js";
import { sloJsonSchema } from "./spec/json-schema.js";
import { parseSpecFiles, type SpecFile } from "./spec/parse-spec-files.js";
import { toNativeYaml } from "./spec/to-native-yaml.js";

/** Where commands write; tests pass their own. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Writes to the process's stdout and stderr, one line per call. */
export const processIo: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Registers `slo validate`, `slo import`, `slo schema` and `slo explain` on the program. */
export function registerSloCommands(program: Command, io: CommandIo = processIo): void {
  const slo = program
    .command("slo")
    .description(
      "SLO specs (validate, import, schema, explain, backtest) and SLOs on a running nines (apply, list, delete)",
    );
  const output = () =>
    new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table");

  slo
    .command("validate")
    .description("check SLO spec files and directories (recursively *.yaml, *.yml); exit 1 on any error")
    .argument("<paths...>", "files or directories")
    .addOption(output())
    .action((paths: string[], opts: { output: string }) => {
      const files = readSpecPaths(paths, io);
      if (files === undefined) return;
      const result = parseSpecFiles(files);
      const failed = hasErrors(result.diagnostics);
      if (opts.output === "json") {
        io.out(
          JSON.stringify(
            {
              valid: !failed,
              files: files.map((f) => f.path),
              slos: result.slos.map((s) => s.id),
              policies: result.policies.map((p) => p.name),
              diagnostics: result.diagnostics,
            },
            null,
            2,
          ),
        );
      } else {
        printDiagnostics(result.diagnostics, io);
        io.out(summary(result.diagnostics, result.slos.length, result.policies.length, files.length));
      }
      if (failed) process.exitCode = EXIT_FAILED;
    });

  slo
    .command("import")
    .description("convert OpenSLO v1 and Sloth specs (or native ones) into native nines/v1 files")
    .argument("<files...>", "files or directories to import")
    .requiredOption("--out <dir>", "directory to write one <service>.<name>.yaml per SLO into")
    .option("--prometheus-url <url>", "Prometheus URL for SLOs whose files name none")
    .option("--force", "overwrite existing files", false)
    .action((paths: string[], opts: { out: string; prometheusUrl?: string; force: boolean }) => {
      const files = readSpecPaths(paths, io);
      if (files === undefined) return;
      const result = parseSpecFiles(
        files,
        opts.prometheusUrl === undefined ? {} : { prometheusUrl: opts.prometheusUrl },
      );
      printDiagnostics(result.diagnostics, io);
      if (hasErrors(result.diagnostics)) {
        io.err("nothing written: fix the errors above first");
        process.exitCode = EXIT_FAILED;
        return;
      }
      const targets = result.slos.map((s) => ({
        slo: s,
        path: join(opts.out, `${s.service}.${s.name}.yaml`),
      }));
      const existing = targets.filter((t) => existsSync(t.path));
      if (existing.length > 0 && !opts.force) {
        for (const t of existing) io.err(`${t.path}: already exists (use --force to overwrite)`);
        process.exitCode = EXIT_FAILED;
        return;
      }
      mkdirSync(opts.out, { recursive: true });
      for (const { slo: s, path } of targets) {
        const origin = result.origins[s.id];
        const header =
          origin === undefined
            ? ""
            : `# Imported by nines slo import from ${origin.file} (${origin.format}).\n`;
        writeFileSync(path, header + toNativeYaml(s));
        io.out(`wrote ${path} (${s.id})`);
      }
      io.out(`${targets.length} SLO${targets.length === 1 ? "" : "s"} imported`);
    });

  slo
    .command("schema")
    .description("print the JSON Schema of native nines/v1 spec documents")
    .action(() => {
      io.out(JSON.stringify(sloJsonSchema(), null, 2));
    });

  slo
    .command("explain")
    .description("what each alert line will do: detection time, budget spent at detection, reset time")
    .argument("<paths...>", "spec files or directories")
    .option("--error-rate <rate>", 'error rate to explain, as a fraction (0.01) or percent ("1%")', "1")
    .option("--slo <id>", "only the SLO with this service/name")
    .addOption(output())
    .action((paths: string[], opts: { errorRate: string; slo?: string; output: string }) => {
      const errorRate = parseErrorRate(opts.errorRate);
      if (errorRate === undefined) {
        io.err(
          `--error-rate ${opts.errorRate}: expected a fraction in (0, 1] such as 0.01, or a percent such as 1%`,
        );
        process.exitCode = EXIT_USAGE;
        return;
      }
      const files = readSpecPaths(paths, io);
      if (files === undefined) return;
      const result = parseSpecFiles(files);
      printDiagnostics(result.diagnostics, io);
      if (hasErrors(result.diagnostics)) {
        process.exitCode = EXIT_FAILED;
        return;
      }
      const chosen = result.slos.filter((s) => opts.slo === undefined || s.id === opts.slo);
      if (chosen.length === 0) {
        io.err(
          opts.slo === undefined ? "no SLOs in the files given" : `no SLO ${opts.slo} in the files given`,
        );
        process.exitCode = EXIT_FAILED;
        return;
      }
      const explanations = chosen.map((s) => explainSlo(s, errorRate));
      if (opts.output === "json") io.out(JSON.stringify(explanations, jsonNumbers, 2));
      else for (const e of explanations) io.out(explanationTable(e));
    });
}

function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

/** "0.01" → 0.01, "1%" → 0.01; undefined unless in (0, 1]. */
export function parseErrorRate(text: string): number | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(text);
  if (m === null) return undefined;
  const value = Number(m[1]) / (m[2] === "%" ? 100 : 1);
  return value > 0 && value <= 1 ? value : undefined;
}

/**
 * Reads spec files and directories (recursively *.yaml, *.yml). Prints missing paths and sets
 * exit code 2, returning undefined, when a path is missing or no file is found.
 */
export function readSpecPaths(paths: readonly string[], io: CommandIo): SpecFile[] | undefined {
  const found: string[] = [];
  let bad = false;
  for (const p of paths) {
    if (!existsSync(p)) {
      io.err(`${p}: no such file or directory`);
      bad = true;
      continue;
    }
    if (statSync(p).isDirectory()) found.push(...yamlFilesUnder(p));
    else found.push(p);
  }
  if (!bad && found.length === 0) {
    io.err(`no *.yaml or *.yml files in ${paths.join(", ")}`);
    bad = true;
  }
  if (bad) {
    process.exitCode = EXIT_USAGE;
    return undefined;
  }
  return found.map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: CommandIo): void {
  for (const d of diagnostics) io.err(formatDiagnostic(d));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function summary(diagnostics: readonly Diagnostic[], slos: number, policies: number, files: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (errors > 0)
    return `${plural(errors, "error")}, ${plural(warnings, "warning")} in ${plural(files, "file")}`;
  const w = warnings > 0 ? `, ${plural(warnings, "warning")}` : "";
  return `ok: ${plural(slos, "SLO")}, ${plural(policies, "alert policy").replace("policys", "policies")} in ${plural(files, "file")}${w}`;
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(4))}%`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function explanationTable(e: SloExplanation): string {
  const head = `${e.id}: objective ${pct(e.objective)} over ${formatDuration(e.windowMs)}; budget = ${formatDurationHuman(e.fullOutageBudgetMs)} of full outage; at ${pct(e.errorRate)} errors the budget lasts ${formatDurationHuman(e.budgetExhaustionMs)}`;
  const rows = [
    [
      "line",
      "severity",
      "burn",
      "long",
      "short",
      "fires from",
      "detect@100%",
      `detect@${pct(e.errorRate)}`,
      "budget spent",
      "reset",
      "min events",
      "state",
    ],
    ...e.lines.map((l) => [
      l.name,
      l.severity,
      String(l.burnRate),
      formatDuration(l.longWindowMs),
      formatDuration(l.shortWindowMs),
      l.canFire ? pct(l.minErrorRate) : "never",
      formatDurationHuman(l.detectionFullOutageMs),
      formatDurationHuman(l.detectionMs),
      pct(l.budgetConsumedAtDetection),
      Number.isFinite(l.detectionMs) ? formatDurationHuman(l.resetMs) : "-",
      String(l.minEvents),
      l.enabled ? "on" : "off",
    ]),
  ];
  return `${head}\n${table(rows)}\n`;
}
