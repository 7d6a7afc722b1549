/**
 * In-process ingest into the SLI store (target >= 5 M samples/s), against a naive store that only
 * appends raw samples to arrays and against the same store with each series contiguous (1 lane), plus the durable path nines acknowledges after: the SQL sample
 * log, and its replay into the store. Run: npx tsx bench/slo-ingest.bench.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "../src/db/create-database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { sloStore } from "../src/slo/slo.store.js";
import type { Sample } from "../src/tsdb/sample.js";
import type { SeriesBuffer } from "../src/tsdb/series-buffer.js";
import { SliStore } from "../src/tsdb/sli-store.js";
import { mulberry32, NaiveSeries } from "../test/slo/support/naive-series.js";

const SERIES = 10_000;
const STEPS = 500;
const START = Date.UTC(2024, 0, 10);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function rate(samples: number, ms: number): string {
  return `${(samples / ms / 1000).toFixed(2)} M samples/s`;
}

function measure(label: string, run: () => number): number {
  const w0 = performance.now();
  const c0 = cpuMs();
  const n = run();
  const wall = performance.now() - w0;
  const cpu = cpuMs() - c0;
  console.log(
    `${label}: ${n} samples, ${rate(n, wall)} wall, ${rate(n, cpu)} cpu (${((cpu * 1e6) / n).toFixed(0)} ns/sample cpu)`,
  );
  return n / cpu;
}

/**
 * Runs steps `from`..`to` in three consecutive parts and prints each part's rate and their median:
 * this machine's speed changes from one second to the next, and the median of three is steadier.
 */
function measureMedian(label: string, from: number, to: number, run: (from: number, to: number) => number) {
  const part = Math.floor((to - from + 1) / 3);
  const rates: number[] = [];
  let samples = 0;
  for (let p = 0; p < 3; p++) {
    const start = from + p * part;
    const c0 = cpuMs();
    const n = run(start, p === 2 ? to : start + part - 1);
    rates.push(n / (cpuMs() - c0));
    samples += n;
  }
  const median = [...rates].sort((a, b) => a - b)[1]!;
  const shown = rates.map((r) => (r / 1000).toFixed(2)).join(" / ");
  console.log(
    `${label}: ${samples} samples in three parts, ${shown} M samples/s cpu, median ${(median / 1000).toFixed(2)} M samples/s (${(1e6 / median).toFixed(0)} ns/sample cpu)`,
  );
  return median;
}

console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")} on this machine (figures are cpu time where noted)`,
);

// Scrape order: every 10 s, one sample per series. The first hour goes into a fresh store; the
// measured run follows it, as in a server whose store already holds history.
const WARM = 360;
const END = WARM + STEPS;
const random = mulberry32(7);
const goods = Float64Array.from({ length: 4096 }, () => 990 + Math.floor(random() * 11));
const scrape = (into: readonly SeriesBuffer[], from: number, to: number) => {
  for (let k = from; k <= to; k++) {
    const ts = START + k * 10_000;
    for (let i = 0; i < SERIES; i++) into[i]!.appendInterval(ts, goods[(i + k) & 4095]!, 1000);
  }
  return SERIES * (to - from + 1);
};
const store = new SliStore();
const created = performance.now();
const buffers = Array.from({ length: SERIES }, (_, i) => store.ensure(`svc/slo-${i}`));
console.log(
  `store: ${SERIES} series created in ${(performance.now() - created).toFixed(0)} ms (their memory committed up front)`,
);
measure("store in-order, the first hour into a fresh store", () => scrape(buffers, 1, WARM));
const inOrder = measureMedian("store in-order per-interval", WARM + 1, END, (a, b) => scrape(buffers, a, b));

const contiguous = new SliStore({ lanes: 1 });
const cbuffers = Array.from({ length: SERIES }, (_, i) => contiguous.ensure(`svc/slo-${i}`));
scrape(cbuffers, 1, WARM);
const contiguousRate = measureMedian(
  "same, each series contiguous (1 lane per group)",
  WARM + 1,
  END,
  (a, b) => scrape(cbuffers, a, b),
);
console.log(`ratio interleaved/contiguous in-order ingest (cpu): ${(inOrder / contiguousRate).toFixed(2)}x`);

measure("store in-order, series-major (a batch of 50 samples per series)", () => {
  for (let i = 0; i < SERIES; i++) {
    const b = buffers[i]!;
    for (let k = 1; k <= 50; k++) b.appendInterval(START + (END + k) * 10_000, goods[(i + k) & 4095]!, 1000);
  }
  return SERIES * 50;
});

measure("store duplicates (same batch written twice)", () => {
  const ts = START + (END + 50) * 10_000;
  for (let r = 0; r < 100; r++) for (let i = 0; i < SERIES; i++) buffers[i]!.appendInterval(ts, 995, 1000);
  return SERIES * 100;
});

measure("store late samples (1 to 30 min late)", () => {
  for (let k = 0; k < 50; k++) {
    const ts = START + (END + 44 - (k % 180)) * 10_000 - 1;
    for (let i = 0; i < SERIES; i++) buffers[i]!.appendInterval(ts, 1, 1);
  }
  return SERIES * 50;
});

const counters = new SliStore();
const cbuf = Array.from({ length: SERIES }, (_, i) => counters.ensure(`svc/c-${i}`, "cumulative"));
measure("store cumulative counters", () => {
  for (let k = 1; k <= STEPS / 2; k++) {
    const ts = START + k * 10_000;
    for (let i = 0; i < SERIES; i++) cbuf[i]!.appendCounter(ts, k * 995, k * 1000);
  }
  return (SERIES * STEPS) / 2;
});

const batch: Sample[] = Array.from({ length: SERIES }, (_, i) => ({
  series: `svc/slo-${i}`,
  ts: 0,
  good: 999,
  total: 1000,
}));
measure("store appendBatch by series id (Map lookup)", () => {
  for (let k = 1; k <= 50; k++) {
    const ts = START + (END + 50 + k) * 10_000;
    store.appendBatch(batch.map((s) => ({ ...s, ts })));
  }
  return SERIES * 50;
});

const naive = Array.from({ length: SERIES }, () => new NaiveSeries());
const scrapeNaive = (from: number, to: number) => {
  for (let k = from; k <= to; k++) {
    const ts = START + k * 10_000;
    for (let i = 0; i < SERIES; i++) naive[i]!.append(ts, goods[(i + k) & 4095]!, 1000);
  }
  return SERIES * (to - from + 1);
};
scrapeNaive(1, WARM);
const naiveRate = measureMedian("naive raw arrays (push only)", WARM + 1, END, scrapeNaive);
console.log(
  `ratio store/naive ingest (cpu): ${(inOrder / naiveRate).toFixed(2)}x (naive pays instead at every tick)`,
);
console.log(
  `target >= 5 M samples/s in-order: ${inOrder / 1000 >= 5 ? "met" : "missed"} (${(inOrder / 1000).toFixed(2)} M/s cpu)`,
);

// Durable path nines uses: the sample log (SQLite, WAL, synchronous=FULL), batches of 1,000 as
// ONE row each, against the per-sample rows of the log before migration 0010 (the peer).
const dir = await mkdtemp(join(tmpdir(), "nines-ingest-"));
try {
  const handle = createDatabase({ sqlitePath: join(dir, "n.db") });
  await migrateToLatest(handle.db, "sqlite");
  const store = sloStore(handle.db);
  const batches = 200;
  const batchAt = (b: number) =>
    Array.from({ length: 1000 }, (_, i) => ({
      sloId: `svc/slo-${i}`,
      ts: START + b * 10_000,
      good: 999,
      total: 1000,
    }));
  let t0 = performance.now();
  for (let b = 0; b < batches; b++) await store.writeSamples(batchAt(b), Date.now(), new Map(), () => false);
  let ms = performance.now() - t0;
  const logged = (batches * 1000) / ms;
  const peerBatches = 20;
  t0 = performance.now();
  for (let b = 0; b < peerBatches; b++) {
    const rows = batchAt(b).map((s) => ({
      slo_id: s.sloId,
      ts: s.ts,
      good: s.good,
      total: s.total,
      received_at: 0,
    }));
    await handle.db.transaction().execute(async (trx) => {
      await trx.insertInto("sli_samples").values(rows).execute();
    });
  }
  const perRow = (peerBatches * 1000) / (performance.now() - t0);
  console.log(
    `sample log (sqlite), 1,000-sample transactions: ${rate(batches * 1000, ms)}, ${(ms / batches).toFixed(2)} ms per ack (${(logged / perRow).toFixed(1)}x one row per sample: ${(perRow / 1000).toFixed(2)} M samples/s)`,
  );
  const runtimeStore = new SliStore();
  for (let i = 0; i < 1000; i++) runtimeStore.ensure(`svc/slo-${i}`);
  const fresh = sloStore(handle.db); // no batches of its own in memory: reads the log like a follower
  t0 = performance.now();
  let replayed = 0;
  for (let seq = 0; ; ) {
    const read = await fresh.batchesAfter(seq);
    if (read.length === 0) break;
    for (const b of read) {
      const c = b.columns;
      const buffers = c.ids.map((id) => runtimeStore.get(id)!);
      for (let i = 0; i < c.ts.length; i++)
        buffers[c.series[i]!]!.appendInterval(c.ts[i]!, c.good[i]!, c.total[i]!);
      replayed += c.ts.length;
      seq = b.seq;
    }
  }
  ms = performance.now() - t0;
  console.log(`sample log replay into the store (a follower): ${replayed} samples, ${rate(replayed, ms)}`);
  await handle.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
