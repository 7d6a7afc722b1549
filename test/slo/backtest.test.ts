import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backtest, backtestArrays } from "../../src/slo/backtest.js";
import { Evaluator } from "../../src/slo/evaluator.js";
import type { AlertEvent } from "../../src/slo/evaluator-types.js";
import { type CsvSample, csvFileLines, parseSliCsv } from "../../src/slo/sli-csv.js";
import { SliStore } from "../../src/tsdb/sli-store.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";
import { START } from "./support/traffic.js";

const { MINUTE, HOUR } = TIME;

async function collect(lines: string[], options = {}): Promise<CsvSample[]> {
  const out: CsvSample[] = [];
  for await (const s of parseSliCsv(lines, options)) out.push(s);
  return out;
}

describe("parseSliCsv", () => {
  it("reads RFC 3339, unix seconds and unix milliseconds timestamps with good,total columns", async () => {
    const rows = await collect([
      "# exported from prometheus",
      "timestamp,good,total",
      "2024-03-01T00:00:10Z,998,1000",
      "1709251220,999,1000",
      "",
      "1709251230000,1000,1000",
      "2024-03-01T01:00:40.5+01:00,5,5",
    ]);
    expect(rows).toEqual([
      { ts: Date.parse("2024-03-01T00:00:10Z"), good: 998, total: 1000 },
      { ts: 1_709_251_220_000, good: 999, total: 1000 },
      { ts: 1_709_251_230_000, good: 1000, total: 1000 },
      { ts: Date.parse("2024-03-01T00:00:40.5Z"), good: 5, total: 5 },
    ]);
  });

  it("turns bad,total columns into good = total − bad", async () => {
    expect(await collect(["total,timestamp,bad", "10,60,3"])).toEqual([{ ts: 60_000, good: 7, total: 10 }]);
  });

  it("takes good from the le= bucket of the latency threshold and total from le=+Inf", async () => {
    const rows = await collect(["timestamp,le=0.1,le=0.25,le=0.5,le=+Inf", "60,50,80,95,100"], {
      thresholdSeconds: 0.25,
    });
    expect(rows).toEqual([{ ts: 60_000, good: 80, total: 100 }]);
  });

  it.each([
    [["timestamp,good"], "one of good or bad"],
    [["timestamp,good,total", "60,5"], "line 2: expected 3 columns"],
    [["timestamp,good,total", "yesterday,1,1"], "line 2: timestamp yesterday"],
    [["timestamp,good,total", "60,5,4"], "outside 0..total"],
    [["timestamp,good,total", "60,1,1", "50,1,1"], "line 3: timestamp 50 goes backwards"],
    [["timestamp,le=0.1,le=+Inf", "60,1,1"], "latency threshold"],
  ])("rejects %j with NINES_ERR_SLO_CSV_INVALID naming the problem", async (lines, message) => {
    await expect(collect(lines)).rejects.toMatchObject({
      code: "NINES_ERR_SLO_CSV_INVALID",
      message: expect.stringContaining(message),
    });
  });
});

/** One day of 10-second samples with a 10-minute total outage at `START + 12 h`. */
function outageDay() {
  const ts: number[] = [];
  const good: number[] = [];
  const total: number[] = [];
  const outageFrom = START + 12 * HOUR;
  for (let t = START + 10_000; t <= START + 24 * HOUR; t += 10_000) {
    ts.push(t);
    total.push(100);
    good.push(t > outageFrom && t <= outageFrom + 10 * MINUTE ? 0 : 100);
  }
  return { ts, good, total, outageFrom };
}

describe("backtest", () => {
  it("pages on a 10-minute outage within a minute, and reports budget and firing time", () => {
    const { ts, good, total, outageFrom } = outageDay();
    const { summary, events } = backtestArrays(makeSlo(), ts, good, total);
    expect(summary.samples).toBe(ts.length);
    expect(summary.firstBadSampleMs).toBe(outageFrom + 10_000);
    expect(summary.pages).toBeGreaterThanOrEqual(1);
    expect(events[0]).toMatchObject({ line: "page-fast", state: "firing" });
    expect(summary.detectionDelayMs).toBeLessThanOrEqual(60_000);
    // 600 s of outage in one day of traffic: 6,000 bad events of a budget of 0.1% of 864,000.
    expect(summary.budgetConsumed).toBeCloseTo(6000 / 864, 9);
    expect(summary.firingMs["page-fast"]).toBeGreaterThan(5 * MINUTE);
  });

  it("reads a CSV file with counters, handling a counter reset, and matches the per-interval backtest", async () => {
    const { ts, good, total } = outageDay();
    const dir = await mkdtemp(join(tmpdir(), "nines-csv-"));
    try {
      const path = join(dir, "sli.csv");
      let g = 0;
      let t = 0;
      const lines = ["timestamp,bad,total", `${(START / 1000).toFixed(0)},0,0`];
      ts.forEach((at, i) => {
        if (i === 3000) {
          g = 0;
          t = 0;
        }
        g += good[i]!;
        t += total[i]!;
        lines.push(`${new Date(at).toISOString()},${t - g},${t}`);
      });
      await writeFile(path, lines.join("\n"));
      const progress: number[] = [];
      const fromCsv = await backtest(makeSlo(), parseSliCsv(csvFileLines(path)), {
        kind: "cumulative",
        progressEvery: 2000,
        onProgress: (p) => progress.push(p.samples),
      });
      // After the reset at sample 3000 the new reading counts from 0, which is exactly that interval's events.
      const expected = backtestArrays(makeSlo(), ts, good, total);
      expect(fromCsv.events).toEqual(expected.events);
      expect(fromCsv.summary.pages).toBe(expected.summary.pages);
      expect(progress.length).toBeGreaterThan(3);
      expect(progress.at(-1)).toBe(ts.length + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives the same alert transitions as live evaluation fed tick by tick", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.constantFrom(1_000, 10_000, 10_000, 25_000, 15 * MINUTE),
            badShare: fc.constantFrom(0, 0, 0, 0.05, 1),
            total: fc.constantFrom(0, 3, 100),
          }),
          { minLength: 5, maxLength: 600 },
        ),
        (steps) => {
          const slo = makeSlo({
            alerting: { name: "default", lines: workbookLines(10), missingDataAfterMs: 10 * MINUTE },
          });
          const samples: CsvSample[] = [];
          let at = START + 7_000;
          for (const s of steps) {
            at += s.gap;
            samples.push({ ts: at, good: Math.round(s.total * (1 - s.badShare)), total: s.total });
          }
          const result = backtestArrays(
            slo,
            samples.map((s) => s.ts),
            samples.map((s) => s.good),
            samples.map((s) => s.total),
          );
          const store = new SliStore();
          const live = new Evaluator(store);
          live.register(slo);
          const events: AlertEvent[] = [];
          const last = samples.at(-1)!.ts;
          let i = 0;
          for (let tick = Math.ceil(samples[0]!.ts / 30_000) * 30_000; tick < last + 30_000; tick += 30_000) {
            const batch: { series: string; ts: number; good: number; total: number }[] = [];
            while (i < samples.length && samples[i]!.ts <= tick)
              batch.push({ series: slo.id, ...samples[i++]! });
            store.appendBatch(batch);
            events.push(...live.tick(tick));
          }
          expect(result.events).toEqual(events);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("summarizes an empty stream without alerts", async () => {
    const result = await backtest(makeSlo(), []);
    expect(result.events).toEqual([]);
    expect(result.summary).toMatchObject({
      samples: 0,
      pages: 0,
      tickets: 0,
      budgetConsumed: 0,
      detectionDelayMs: null,
    });
  });
});
