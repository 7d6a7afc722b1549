/**
 * One evaluation tick over many SLOs with the Workbook's default lines (7 distinct windows each,
 * long windows read only when the short one burns), against a naive evaluator that recomputes window sums from raw samples every tick,
 * and against the same store with one lane per group (each series contiguous, not interleaved with its neighbours).
 * Run: npx tsx bench/slo-eval.bench.ts   (NINES_BENCH_SLOS overrides the 100,000 SLOs)
 */

import { Evaluator } from "../src/slo/evaluator.js";
import { clearSums, compilePlan, lineMask, sumsLength } from "../src/slo/evaluator-plan.js";
import { SliStore } from "../src/tsdb/sli-store.js";
import { NaiveSeries } from "../test/slo/support/naive-series.js";
import { makeSlo } from "../test/slo/support/slo-factory.js";

const SLOS = Number(process.env.NINES_BENCH_SLOS ?? 100_000);
const NAIVE_SLOS = 100;
const NOW = Date.UTC(2024, 0, 10);
const HOUR = 3_600_000;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function filled(store: SliStore): Evaluator {
  const evaluator = new Evaluator(store);
  for (let i = 0; i < SLOS; i++) {
    const slo = makeSlo({ id: `svc-${i % 1000}/slo-${i}` });
    evaluator.register(slo);
    const s = store.get(slo.id)!;
    // A few old samples, then 10-second samples for the last 10 minutes: every tier holds data.
    for (const ago of [72 * HOUR, 6 * HOUR]) s.appendInterval(NOW - ago, 36_000 - (i % 7), 36_000);
    for (let t = NOW - 600_000 + 10_000; t <= NOW; t += 10_000)
      s.appendInterval(t, 100 - ((t / 10_000 + i) % 50 === 0 ? 5 : 0), 100);
  }
  return evaluator;
}
const fillStart = performance.now();
const evaluator = filled(new SliStore());
const contiguous = filled(new SliStore({ lanes: 1 }));
console.log(
  `setup: 2 x ${SLOS} SLOs registered and filled in ${(performance.now() - fillStart).toFixed(0)} ms`,
);

// Ticks alternate between the two stores; medians of the last 6 of 8.
const wall: number[] = [];
const cpu: number[] = [];
const peerCpu: number[] = [];
let events = 0;
for (let r = 0; r < 8; r++) {
  const now = NOW + r * 30_000;
  const w0 = performance.now();
  const c0 = cpuMs();
  events += evaluator.tick(now).length;
  cpu.push(cpuMs() - c0);
  wall.push(performance.now() - w0);
  const p0 = cpuMs();
  events += contiguous.tick(now).length;
  peerCpu.push(cpuMs() - p0);
}
const tickWall = median(wall.slice(2));
const tickCpu = median(cpu.slice(2));
const peerTickCpu = median(peerCpu.slice(2));
console.log(
  `eval tick: ${SLOS} SLOs (4 lines, 7 windows): ${tickWall.toFixed(1)} ms wall, ${tickCpu.toFixed(1)} ms cpu (median of 6, target <= 100 ms)`,
);
console.log(
  `eval per SLO per tick: ${((tickWall * 1e6) / SLOS).toFixed(0)} ns wall, ${((tickCpu * 1e6) / SLOS).toFixed(0)} ns cpu`,
);
console.log(
  `eval tick, same store with each series contiguous (1 lane per group): ${peerTickCpu.toFixed(1)} ms cpu; ratio contiguous/interleaved ${(peerTickCpu / tickCpu).toFixed(2)}x`,
);
console.log(`eval transitions seen while measuring: ${events}`);

// Naive peer: the same lines, window sums recomputed from 3 days of raw 10-second samples.
const plan = compilePlan(makeSlo());
const naive: NaiveSeries[] = [];
for (let i = 0; i < NAIVE_SLOS; i++) {
  const s = new NaiveSeries();
  for (let t = NOW - 72 * HOUR + 10_000; t <= NOW; t += 10_000) s.append(t, 100 - (i % 3), 100);
  naive.push(s);
}
const sums = new Float64Array(sumsLength(plan));
const naiveTimes: number[] = [];
for (let r = 0; r < 5; r++) {
  const now = NOW + r * 30_000;
  const c0 = cpuMs();
  let mask = 0;
  for (const s of naive) {
    clearSums(plan, sums);
    mask |= lineMask(plan, s, sums, now, now, now);
  }
  naiveTimes.push(cpuMs() - c0);
  if (mask < 0) console.log(mask);
}
const naiveNs = (median(naiveTimes) * 1e6) / NAIVE_SLOS;
console.log(`naive per SLO per tick (${NAIVE_SLOS} SLOs, 3 d of 10 s samples): ${naiveNs.toFixed(0)} ns cpu`);
console.log(`naive extrapolated to ${SLOS} SLOs: ${((naiveNs * SLOS) / 1e6).toFixed(0)} ms per tick`);
console.log(`ratio naive/store per SLO per tick: ${(naiveNs / ((tickCpu * 1e6) / SLOS)).toFixed(0)}x`);
