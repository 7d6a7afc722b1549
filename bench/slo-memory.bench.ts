/**
 * Resident memory per SLO with 35 days of history (target <= 64 KB), measured with 10,000 SLOs
 * after a full GC, against naive raw storage of the same history (35 d of 10 s samples).
 * Run: node --expose-gc --import tsx bench/slo-memory.bench.ts
 */
import { Evaluator } from "../src/slo/evaluator.js";
import { SliStore } from "../src/tsdb/sli-store.js";
import { makeSlo } from "../test/slo/support/slo-factory.js";

const SLOS = 10_000;
const NAIVE_SLOS = 10;
const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 2, 1);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.log("run with: node --expose-gc --import tsx bench/slo-memory.bench.ts");
  process.exit(1);
}

function snapshot() {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const before = snapshot();
const store = new SliStore();
const evaluator = new Evaluator(store);
for (let i = 0; i < SLOS; i++) {
  const slo = makeSlo({ id: `svc-${i % 100}/slo-${i}` });
  evaluator.register(slo);
  const s = store.get(slo.id)!;
  // 35 days of hourly samples, then an hour of 10-second samples: every tier's ring is in use.
  for (let t = NOW - 35 * 24 * HOUR; t < NOW - HOUR; t += HOUR) s.appendInterval(t, 35_900, 36_000);
  for (let t = NOW - HOUR + 10_000; t <= NOW; t += 10_000) s.appendInterval(t, 99, 100);
}
evaluator.tick(NOW);
const after = snapshot();
const perSlo = {
  rss: (after.rss - before.rss) / SLOS,
  heap: (after.heap - before.heap) / SLOS,
  buffers: (after.buffers - before.buffers) / SLOS,
};
console.log(`layout: ${kb(store.layout.bytes)} of typed arrays per series (${store.layout.length} cells)`);
console.log(`store + evaluator, ${SLOS} SLOs, 35 d history: ${kb(perSlo.rss)} rss per SLO (target <= 64 KB)`);
console.log(`  JS heap (SLO definitions, plans, maps) ${kb(perSlo.heap)} per SLO`);
console.log(
  `  slab address space reserved ${kb(perSlo.buffers)} per SLO (slabs grow by doubling; untouched pages are not resident)`,
);

// Naive: the raw 10-second samples of 35 days as three Float64Arrays per SLO.
const naiveBefore = snapshot();
const samples = (35 * 24 * HOUR) / 10_000;
const naive: Float64Array[][] = [];
for (let i = 0; i < NAIVE_SLOS; i++) {
  const cols = [new Float64Array(samples), new Float64Array(samples), new Float64Array(samples)];
  for (const c of cols) c.fill(1);
  naive.push(cols);
}
const naiveAfter = snapshot();
const naivePerSlo = (naiveAfter.rss - naiveBefore.rss) / NAIVE_SLOS;
console.log(
  `naive raw storage (${samples} samples x 3 float64): ${kb(naivePerSlo)} rss per SLO (${NAIVE_SLOS} SLOs)`,
);
console.log(`ratio naive/store memory per SLO: ${(naivePerSlo / perSlo.rss).toFixed(0)}x`);
if (naive.length < 0 || store.size < 0) console.log("unreachable");
