/**
 * The same 1,000 SLOs (99.9% over 30 d, the Workbook's four lines) evaluated
 *   1. by nines natively: SliStore + Evaluator.tick, CPU time from process.cpuUsage();
 *   2. by a real Prometheus evaluating `nines rules generate` output (long windows built from
 *      5-minute recordings), CPU from its own process_cpu_seconds_total and
 *      prometheus_rule_group_last_duration_seconds;
 *   3. by the same Prometheus evaluating Sloth-style rules (every window from raw counters).
 * Both read the same data: NINES_BENCH_DAYS (default 2) days of 60 s samples per SLO (a good and
 * a bad counter), written as OpenMetrics and loaded with `promtool tsdb create-blocks-from
 * openmetrics`, plus the 5-minute recordings Prometheus would have made over those days.
 * Run: npx tsx bench/prometheus-vs-nines.bench.ts   (NINES_BENCH_SLOS, NINES_BENCH_DAYS,
 * NINES_BENCH_CYCLES, NINES_BENCH_INTERVAL_S, NINES_BENCH_INSTANCES override 1,000 / 2 / 2 / 20 / 1;
 * more instances mean more raw series per SLO, which Sloth-style long windows read every cycle)
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileRules } from "../src/prometheus/rules/compile-rules.js";
import { toRuleFileYaml } from "../src/prometheus/rules/rule-writer.js";
import { Evaluator } from "../src/slo/evaluator.js";
import type { Slo } from "../src/slo/model.js";
import { SliStore } from "../src/tsdb/sli-store.js";
import { makeSlo } from "../test/prometheus/support/slo-factory.js";
import { figure } from "./support/figures.js";

const SLOS = Number(process.env["NINES_BENCH_SLOS"] ?? 1000);
const DAYS = Number(process.env["NINES_BENCH_DAYS"] ?? 2);
const CYCLES = Number(process.env["NINES_BENCH_CYCLES"] ?? 2);
/** Instances per SLO: each SLO's counters are split over this many series per status code. */
const INSTANCES = Number(process.env["NINES_BENCH_INSTANCES"] ?? 1);
const INTERVAL_S = Number(process.env["NINES_BENCH_INTERVAL_S"] ?? 20);
const STEP_S = 60;
const PROMETHEUS = "/usr/bin/prometheus";
const PROMTOOL = "/usr/bin/promtool";

for (const bin of [PROMETHEUS, PROMTOOL]) {
  if (!existsSync(bin)) {
    console.error(`${bin} is not installed (Debian package prometheus); this benchmark needs it`);
    process.exit(1);
  }
}

const END_S = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S - STEP_S;
const POINTS = (DAYS * 86_400) / STEP_S;
const START_S = END_S - (POINTS - 1) * STEP_S;

let seed = 7;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** Requests and failures per minute of SLO `i` at point `p` (deterministic). */
const perMinute = (i: number, p: number) => {
  const total = 600 + ((i * 37 + p * 11) % 400);
  const bad = (i + p) % 97 === 0 ? 5 : (i * 13 + p) % 7 === 0 ? 1 : 0;
  return { total, bad };
};

const slos: Slo[] = Array.from({ length: SLOS }, (_, i) =>
  makeSlo({
    id: `svc-${i % 100}/slo-${i}`,
    service: `svc-${i % 100}`,
    name: `slo-${i}`,
    labels: {},
    annotations: {},
    source: {
      kind: "prometheus",
      url: "http://127.0.0.1:9090",
      eventsQuery: `increase(http_requests_total{slo="slo-${i}",code="500"}[{{window}}])`,
      totalQuery: `increase(http_requests_total{slo="slo-${i}"}[{{window}}])`,
      headers: {},
    },
  }),
);

// ---- 1. nines natively ------------------------------------------------------------------------
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const store = new SliStore();
const evaluator = new Evaluator(store);
for (const [i, slo] of slos.entries()) {
  evaluator.register(slo);
  const series = store.get(slo.id)!;
  for (let p = 0; p < POINTS; p++) {
    const { total, bad } = perMinute(i, p);
    series.appendInterval((START_S + p * STEP_S) * 1000, total - bad, total);
  }
}
const tickCpu: number[] = [];
for (let r = 0; r < 40; r++) {
  const c0 = cpuMs();
  evaluator.tick((END_S + r) * 1000);
  tickCpu.push(cpuMs() - c0);
}
// process.cpuUsage has microsecond resolution; the median of the last 30 ticks.
const ninesTickMs = median(tickCpu.slice(10));
const ninesPerSlo = ninesTickMs / SLOS;
figure(`nines native tick, ${SLOS} SLOs`, ninesTickMs, "CPU-ms per tick");
figure("nines native", ninesPerSlo * 1000, "CPU-µs per SLO per tick");

// ---- data for Prometheus ----------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), "nines-bench-prom-"));
const omPath = join(dir, "data.om");

async function writeOpenMetrics(): Promise<number> {
  const out = createWriteStream(omPath, { highWaterMark: 1 << 22 });
  let buffer = "";
  let samples = 0;
  const flush = async (force = false) => {
    if (buffer.length < 1 << 22 && !force) return;
    if (!out.write(buffer)) await new Promise<void>((r) => out.once("drain", () => r()));
    buffer = "";
  };
  buffer += "# TYPE http_requests counter\n";
  for (let i = 0; i < SLOS; i++) {
    for (let n = 0; n < INSTANCES * 2; n++) {
      const code = n % 2 === 0 ? "200" : "500";
      const instance = Math.floor(n / 2);
      let value = Math.floor(random() * 1e6);
      const prefix = `http_requests_total{slo="slo-${i}",code="${code}",instance="i${instance}"} `;
      for (let p = 0; p < POINTS; p++) {
        const { total, bad } = perMinute(i, p);
        // The SLO's traffic is split evenly over its instances (the remainder on the first).
        const share = (x: number) => Math.floor(x / INSTANCES) + (instance === 0 ? x % INSTANCES : 0);
        value += code === "500" ? share(bad) : share(total - bad);
        buffer += `${prefix}${value} ${START_S + p * STEP_S}\n`;
        samples++;
      }
      await flush();
    }
  }
  // The 5-minute recordings Prometheus would have made while evaluating nines' rules.
  for (const [kind, pick] of [
    ["bad", (c: { total: number; bad: number }) => c.bad],
    ["total", (c: { total: number; bad: number }) => c.total],
  ] as const) {
    buffer += `# TYPE nines:slo_events_${kind}:increase5m gauge\n`;
    for (const [i, slo] of slos.entries()) {
      const window: number[] = [];
      let sum = 0;
      const prefix = `nines:slo_events_${kind}:increase5m{nines_service="${slo.service}",nines_slo="${slo.id}"} `;
      for (let p = 0; p < POINTS; p++) {
        const v = pick(perMinute(i, p));
        window.push(v);
        sum += v;
        if (window.length > 5) sum -= window.shift()!;
        buffer += `${prefix}${sum} ${START_S + p * STEP_S}\n`;
        samples++;
      }
      await flush();
    }
  }
  buffer += "# EOF\n";
  await flush(true);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return samples;
}

const t0 = performance.now();
const samples = await writeOpenMetrics();
console.log(
  `data: ${samples.toLocaleString("en-US")} samples (${DAYS} d of ${STEP_S} s, ${INSTANCES * 2} raw series per SLO) written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const t1 = performance.now();
const created = spawnSync(
  PROMTOOL,
  [
    "tsdb",
    "create-blocks-from",
    "openmetrics",
    "--max-block-duration=24h",
    "-q",
    omPath,
    join(dir, "blocks"),
  ],
  { encoding: "utf8" },
);
if (created.status !== 0) {
  console.error(created.stderr || created.stdout);
  process.exit(1);
}
rmSync(omPath);
console.log(`promtool create-blocks-from openmetrics: ${((performance.now() - t1) / 1000).toFixed(1)} s`);

// ---- 2./3. Prometheus -------------------------------------------------------------------------
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function metrics(url: string): Promise<Map<string, number[]>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number[]>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    const name = line.slice(0, line.search(/[{ ]/));
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}
const sum = (xs: number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);

interface PromFigures {
  readonly cpuMsPerCycle: number;
  readonly groupSecondsPerCycle: number;
  readonly residentMiB: number;
}

async function measurePrometheus(name: string, rules: string): Promise<PromFigures> {
  const runDir = join(dir, name);
  cpSync(join(dir, "blocks"), join(runDir, "data"), { recursive: true });
  writeFileSync(join(runDir, "rules.yaml"), rules);
  writeFileSync(
    join(runDir, "prometheus.yml"),
    `global:\n  evaluation_interval: ${INTERVAL_S}s\nrule_files: [rules.yaml]\n`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(runDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(runDir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Keep the loaded blocks as they are: no compaction running while we measure.
      "--storage.tsdb.max-block-duration=31d",
      "--storage.tsdb.retention.time=40d",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let logs = "";
  child.stderr?.on("data", (c: Buffer) => {
    logs = (logs + c.toString()).slice(-20_000);
  });
  try {
    const deadline = Date.now() + 120_000;
    const until = async (what: string, ok: () => Promise<boolean>) => {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`prometheus exited:\n${logs}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${logs}`);
        try {
          if (await ok()) return;
        } catch {
          // not up yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await until("ready", async () => (await fetch(`${url}/-/ready`)).ok);
    // Every group has run once (a cold first cycle is not measured).
    await until("the first cycle", async () => {
      const m = await metrics(url);
      const iterations = m.get("prometheus_rule_group_iterations_total") ?? [];
      return iterations.length === SLOS && iterations.every((n) => n >= 1);
    });
    const before = await metrics(url);
    const startedAt = performance.now();
    await new Promise((r) => setTimeout(r, CYCLES * INTERVAL_S * 1000));
    const after = await metrics(url);
    const elapsedS = (performance.now() - startedAt) / 1000;
    const cycles =
      (sum(after.get("prometheus_rule_group_iterations_total")) -
        sum(before.get("prometheus_rule_group_iterations_total"))) /
      SLOS;
    const cpuS = sum(after.get("process_cpu_seconds_total")) - sum(before.get("process_cpu_seconds_total"));
    const missed = sum(after.get("prometheus_rule_group_iterations_missed_total"));
    const failed = sum(after.get("prometheus_rule_evaluation_failures_total"));
    console.log(
      `${name}: ${cycles.toFixed(2)} cycles in ${elapsedS.toFixed(0)} s, ${cpuS.toFixed(2)} CPU-s, missed iterations ${missed}, failed evaluations ${failed}`,
    );
    return {
      cpuMsPerCycle: (cpuS * 1000) / cycles,
      groupSecondsPerCycle: sum(after.get("prometheus_rule_group_last_duration_seconds")),
      residentMiB: sum(after.get("process_resident_memory_bytes")) / 2 ** 20,
    };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }
}

try {
  const interval = INTERVAL_S * 1000;
  const ninesRules = toRuleFileYaml(compileRules(slos, { evaluationIntervalMs: interval }).groups);
  const slothRules = toRuleFileYaml(
    compileRules(slos, { evaluationIntervalMs: interval, deriveFromMs: Number.MAX_SAFE_INTEGER }).groups,
  );
  const derived = await measurePrometheus("prometheus-nines-rules", ninesRules);
  const raw = await measurePrometheus("prometheus-sloth-style-rules", slothRules);

  for (const [label, f] of [
    ["Prometheus, nines rules (≥ 1 d from 5 m recordings)", derived],
    ["Prometheus, Sloth-style rules (every window from raw counters)", raw],
  ] as const) {
    figure(`${label}`, f.cpuMsPerCycle / 1000, `CPU-s per ${INTERVAL_S} s cycle`);
    figure(`${label}`, f.cpuMsPerCycle / SLOS, "CPU-ms per SLO per tick");
    figure(`${label}`, f.groupSecondsPerCycle, "s summed rule-group time per cycle");
    figure(`${label}`, f.residentMiB, "MiB resident");
  }
  figure(
    "nines native vs Prometheus (nines rules)",
    derived.cpuMsPerCycle / SLOS / ninesPerSlo,
    "× less CPU per SLO per tick",
    "(target ≥ 1,000×)",
  );
  figure(
    "nines native vs Prometheus (Sloth-style rules)",
    raw.cpuMsPerCycle / SLOS / ninesPerSlo,
    "× less CPU per SLO per tick",
  );
  figure(
    "nines rules vs Sloth-style rules in Prometheus",
    raw.cpuMsPerCycle / derived.cpuMsPerCycle,
    "× less Prometheus CPU per cycle",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
