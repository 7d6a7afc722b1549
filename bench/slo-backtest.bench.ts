/**
 * Backtest of many SLOs over 30 days of 10-second data (in-memory, generated; target: 1,000 SLOs in
 * <= 10 s), each replayed through the live Evaluator at a 30 s tick. Bounded: stops after a time
 * budget and extrapolates to 1,000 SLOs. Compared with a naive backtest that recomputes every window
 * sum from the raw samples at each tick, and (A/B, same process, best of several rounds) with the
 * backtest through the store, sample by sample, that the array backtest replaced.
 * Then 1,000 SLOs on two worker threads (this machine's two cores) with backtestMany, the figure the
 * target is about.
 * Run: npx tsx bench/slo-backtest.bench.ts   (NINES_BENCH_BUDGET_MS overrides the 25 s budget)
 */
import { loadavg } from "node:os";
import { backtestArrays, backtestArraysThroughStore } from "../src/slo/backtest.js";
import { backtestMany } from "../src/slo/backtest-many.js";
import { compilePlan, fillSums, lineMask, sumsLength } from "../src/slo/evaluator-plan.js";
import { mulberry32, NaiveSeries } from "../test/slo/support/naive-series.js";
import { makeSlo } from "../test/slo/support/slo-factory.js";

const TARGET_SLOS = 1000;
const BUDGET_MS = Number(process.env.NINES_BENCH_BUDGET_MS ?? 25_000);
const DAYS = 30;
const STEP = 10_000;
const N = (DAYS * 86_400_000) / STEP;
const START = Date.UTC(2024, 0, 1);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const ts = new Float64Array(N);
const total = new Float64Array(N);
const good = new Float64Array(N);
for (let i = 0; i < N; i++) {
  ts[i] = START + (i + 1) * STEP;
  total[i] = 100;
}

function generate(seed: number): void {
  const random = mulberry32(seed);
  good.set(total);
  // background errors plus three outages of random length and severity
  for (let i = 0; i < N; i += 1 + Math.floor(random() * 50)) good[i] = 99;
  for (let o = 0; o < 3; o++) {
    const at = Math.floor(random() * (N - 400));
    const len = 10 + Math.floor(random() * 360);
    const bad = Math.floor(random() * 100);
    for (let i = at; i < at + len; i++) good[i] = 100 - bad;
  }
}

console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
let done = 0;
let pages = 0;
let tickets = 0;
let ticks = 0;
const w0 = performance.now();
const c0 = cpuMs();
while (done < TARGET_SLOS && performance.now() - w0 < BUDGET_MS) {
  generate(done + 1);
  const { summary } = backtestArrays(makeSlo({ id: `svc/slo-${done}` }), ts, good, total);
  pages += summary.pages;
  tickets += summary.tickets;
  ticks += summary.ticks;
  done++;
}
const wall = performance.now() - w0;
const cpu = cpuMs() - c0;
console.log(
  `backtest: ${done} SLOs x ${DAYS} d of 10 s samples (${N} samples, ${ticks / done} ticks each) in ${(wall / 1000).toFixed(1)} s wall, ${(cpu / 1000).toFixed(1)} s cpu; ${pages} pages, ${tickets} tickets`,
);
console.log(
  `backtest per SLO: ${(wall / done).toFixed(1)} ms wall, ${(cpu / done).toFixed(1)} ms cpu (${((cpu * 1e6) / done / (N + ticks / done)).toFixed(0)} ns per sample+tick, data generation included)`,
);
console.log(
  `backtest extrapolated to ${TARGET_SLOS} SLOs: ${(((wall / done) * TARGET_SLOS) / 1000).toFixed(1)} s wall, ${(((cpu / done) * TARGET_SLOS) / 1000).toFixed(1)} s cpu on one core (target <= 10 s)`,
);

// A/B: the store-based backtest against the array backtest, same process, same SLO and data.
const ROUNDS = 5;
let bestStore = Number.POSITIVE_INFINITY;
let bestFast = Number.POSITIVE_INFINITY;
generate(1);
const abSlo = makeSlo({ id: "svc/ab" });
for (let r = 0; r < ROUNDS; r++) {
  let c = cpuMs();
  backtestArraysThroughStore(abSlo, ts, good, total);
  bestStore = Math.min(bestStore, cpuMs() - c);
  c = cpuMs();
  backtestArrays(abSlo, ts, good, total);
  bestFast = Math.min(bestFast, cpuMs() - c);
}
console.log(
  `A/B best of ${ROUNDS}: through the store ${bestStore.toFixed(1)} ms cpu per SLO, array backtest ${bestFast.toFixed(1)} ms -> ${(bestStore / bestFast).toFixed(1)}x`,
);

// The same work on two worker threads. The samples sit in memory before the backtest starts, as
// they do once read from the store or a CSV file: 16 generated series on SharedArrayBuffers, which
// the 1,000 jobs (each its own SLO) read in turn without a copy.
const SERIES = 16;
const shared = (): Float64Array => new Float64Array(new SharedArrayBuffer(N * 8));
const pool = Array.from({ length: SERIES }, (_, k) => {
  generate(k + 1);
  const arrays = { ts: shared(), good: shared(), total: shared() };
  arrays.ts.set(ts);
  arrays.good.set(good);
  arrays.total.set(total);
  return arrays;
});
function* jobs(count: number) {
  for (let k = 0; k < count; k++) yield { slo: makeSlo({ id: `svc/slo-${k}` }), ...pool[k % SERIES]! };
}
const pw0 = performance.now();
const results = await backtestMany(jobs(TARGET_SLOS), { workers: 2 });
const parallelS = (performance.now() - pw0) / 1000;
console.log(
  `backtest on 2 worker threads: ${results.length} SLOs x ${DAYS} d in ${parallelS.toFixed(1)} s wall (target <= 10 s: ${parallelS <= 10 ? "met" : "missed"}); ${results.reduce((n, r) => n + r.summary.pages, 0)} pages`,
);

// Naive peer: one SLO, 4 days of raw samples, the last day's ticks recomputing every window by scanning.
const plan = compilePlan(makeSlo());
const naive = new NaiveSeries();
const NAIVE_DAYS = 4;
for (let i = 0; i < (NAIVE_DAYS * 86_400_000) / STEP; i++) naive.append(ts[i]!, good[i]!, total[i]!);
const sums = new Float64Array(sumsLength(plan));
const nc0 = cpuMs();
let naiveTicks = 0;
let mask = 0;
for (let t = START + 3 * 86_400_000; t <= START + NAIVE_DAYS * 86_400_000; t += 30_000) {
  // Naive evaluation has no laziness: it reads every window each tick.
  for (let j = 0; j < plan.windowsMs.length; j++) naive.sumInto(t - plan.windowsMs[j]!, t, sums, 2 * j);
  fillSums(plan, sums);
  mask |= lineMask(plan, naive, sums, t, t, t);
  naiveTicks++;
}
const naiveNsPerTick = ((cpuMs() - nc0) * 1e6) / naiveTicks;
const storeNsPerTick = (cpu * 1e6) / done / (ticks / done);
console.log(
  `naive backtest: ${naiveNsPerTick.toFixed(0)} ns cpu per tick with full windows -> ${((naiveNsPerTick * (ticks / done) * TARGET_SLOS) / 1e9).toFixed(0)} s cpu for ${TARGET_SLOS} SLOs x ${DAYS} d`,
);
console.log(
  `ratio naive/store per tick (store figure includes ingest): ${(naiveNsPerTick / storeNsPerTick).toFixed(0)}x`,
);
if (mask < 0) console.log(mask);
