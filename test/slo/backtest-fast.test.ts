import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backtestArrays, backtestArraysThroughStore } from "../../src/slo/backtest.js";
import { fastBacktest, hotTicks } from "../../src/slo/backtest-fast.js";
import { backtestMany } from "../../src/slo/backtest-many.js";
import { compilePlan } from "../../src/slo/evaluator-plan.js";
import type { Slo } from "../../src/slo/model.js";
import { SliStore } from "../../src/tsdb/sli-store.js";
import type { TierSpec } from "../../src/tsdb/tier.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";
import { START } from "./support/traffic.js";

const { MINUTE, HOUR, DAY } = TIME;

/** Few slots per tier, so that windows fall off the finer tiers and off the end of the coarsest. */
const SMALL_TIERS: readonly TierSpec[] = [
  { resolutionMs: 10_000, slots: 40 },
  { resolutionMs: 60_000, slots: 30 },
  { resolutionMs: 600_000, slots: 20 },
  { resolutionMs: 3_600_000, slots: 12 },
];

const sloArb: fc.Arbitrary<Slo> = fc
  .record({
    window: fc.constantFrom<Slo["window"]>(
      { kind: "rolling", lengthMs: 30 * DAY },
      { kind: "rolling", lengthMs: 2 * DAY },
      { kind: "calendar", unit: "week", timeZone: "Europe/Berlin" },
      { kind: "calendar", unit: "month", timeZone: "UTC" },
    ),
    minEvents: fc.constantFrom(0, 50),
    objective: fc.constantFrom(0.999, 0.99, 0.9),
  })
  .map(({ window, minEvents, objective }) =>
    makeSlo({
      window,
      objective,
      alerting: { name: "default", lines: workbookLines(minEvents), missingDataAfterMs: 10 * MINUTE },
    }),
  );

/** Runs of samples with the same gap and error share: steady traffic, outages, gaps, bursts. */
const stepsArb = fc
  .array(
    fc.record({
      count: fc.integer({ min: 1, max: 150 }),
      gap: fc.constantFrom(1, 1_000, 10_000, 10_000, 10_000, 25_000, 15 * MINUTE, 3 * HOUR, 2 * DAY),
      badShare: fc.constantFrom(0, 0, 0, 0.005, 0.05, 0.5, 1),
      total: fc.constantFrom(0, 3, 100, 100, 0.5),
    }),
    { minLength: 1, maxLength: 12 },
  )
  // Long gaps once per run, so that a case stays within a few weeks of ticks.
  .map((runs) =>
    runs.flatMap(({ count, ...step }) => Array.from({ length: step.gap >= HOUR ? 1 : count }, () => step)),
  );

/** Whether the run without the store takes these samples (it returns null for the store to take them). */
function takenWithoutStore(
  slo: Slo,
  ts: ArrayLike<number>,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
  options: { tickMs?: number; tiers?: readonly TierSpec[] } = {},
): boolean {
  return fastBacktest(slo, ts, good, total, { tickMs: 30_000, ...options }) !== null;
}

/** SLOs with one or two random lines, so that one short window alone decides whether a tick is hot. */
const fewLinesSloArb: fc.Arbitrary<Slo> = fc
  .array(
    fc.record({
      burnRate: fc.double({ min: 1, max: 20, noNaN: true }),
      shortWindowMs: fc.constantFrom(5 * MINUTE, 10 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR),
    }),
    { minLength: 1, maxLength: 2 },
  )
  .map((lines) =>
    makeSlo({
      alerting: {
        name: "random",
        lines: lines.map((l, i) => ({
          name: `line-${i}`,
          severity: "page" as const,
          burnRate: l.burnRate,
          longWindowMs: 12 * l.shortWindowMs,
          shortWindowMs: l.shortWindowMs,
          enabled: true,
          minEvents: 0,
        })),
        missingDataAfterMs: 10 * MINUTE,
      },
    }),
  );

/**
 * Longer runs (hours to days of samples) with error shares spread over the range where burn-rate
 * lines cross their thresholds, so that ticks far from the start are checked too.
 */
const longStepsArb = fc
  .array(
    fc.record({
      count: fc.integer({ min: 30, max: 3_000 }),
      gap: fc.constantFrom(1_000, 10_000, 10_000, 25_000, 15 * MINUTE),
      badShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.08, noNaN: true }), fc.constant(1)),
      total: fc.constantFrom(100, 100, 7, 0),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((runs) =>
    runs.flatMap(({ count, ...step }) => Array.from({ length: step.gap >= MINUTE ? 2 : count }, () => step)),
  );

function arrays(steps: { gap: number; badShare: number; total: number }[], startOffset: number) {
  const ts: number[] = [];
  const good: number[] = [];
  const total: number[] = [];
  let at = START + startOffset;
  for (const s of steps) {
    at += s.gap;
    ts.push(at);
    total.push(s.total);
    good.push(s.total * (1 - s.badShare));
  }
  return { ts, good, total };
}

describe("backtest without the store", () => {
  it("gives the same events, summary and final status as the store on random in-order data", () => {
    fc.assert(
      fc.property(
        sloArb,
        stepsArb,
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.constantFrom(30_000, 10_000, 45_000),
        fc.boolean(),
        (slo, steps, startOffset, tickMs, small) => {
          const { ts, good, total } = arrays(steps, startOffset);
          const options = { tickMs, ...(small ? { tiers: SMALL_TIERS } : {}) };
          expect(takenWithoutStore(slo, ts, good, total, options)).toBe(true);
          const fast = backtestArrays(slo, ts, good, total, options);
          const store = backtestArraysThroughStore(slo, ts, good, total, options);
          expect(fast).toEqual(store);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("evaluates in full exactly the ticks where a short window burns at its line's factor in the store", () => {
    fc.assert(
      fc.property(
        fc.oneof(sloArb, fewLinesSloArb),
        fc.oneof(stepsArb, longStepsArb),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.constantFrom(30_000, 10_000, 45_000, 25_000),
        fc.boolean(),
        (slo, steps, startOffset, tickMs, small) => {
          const { ts, good, total } = arrays(steps, startOffset);
          const options = { tickMs, ...(small ? { tiers: SMALL_TIERS } : {}) };
          const marked = hotTicks(slo, ts, good, total, options)!;
          const store = new SliStore({ lanes: 1, ...(options.tiers ? { tiers: options.tiers } : {}) });
          const series = store.ensure(slo.id);
          const plan = compilePlan(slo);
          const out = new Float64Array(2);
          let next = 0;
          const expected = Array.from(marked.hot, (_, t) => {
            const at = marked.tick0 + t * tickMs;
            for (; next < ts.length && ts[next]! <= at; next++)
              series.appendInterval(ts[next]!, good[next]!, total[next]!);
            return plan.lines.some((_, i) => {
              series.sumInto(at - plan.windowsMs[plan.shortIndex[i]!]!, at, out, 0);
              const [g, n] = [out[0]!, out[1]!];
              return n > 0 && n - g >= plan.burnRates[i]! * plan.errorBudget * (1 - 1e-9) * n;
            })
              ? 1
              : 0;
          });
          expect([...marked.hot]).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("pages on the same ticks as the store over 30 days of 10-second data with outages", () => {
    const n = (30 * DAY) / 10_000;
    const ts = new Float64Array(n);
    const good = new Float64Array(n);
    const total = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ts[i] = START + (i + 1) * 10_000;
      total[i] = 100;
      good[i] = i % 37 === 0 ? 99 : 100;
    }
    for (const [at, len, bad] of [
      [50_000, 120, 100],
      [120_000, 2_000, 3],
      [200_000, 360, 40],
    ] as const)
      for (let i = at; i < at + len; i++) good[i] = 100 - bad;
    const slo = makeSlo();
    const fast = backtestArrays(slo, ts, good, total);
    const store = backtestArraysThroughStore(slo, ts, good, total);
    expect(fast.summary.pages).toBeGreaterThan(0);
    expect(fast.summary.tickets).toBeGreaterThan(0);
    expect(fast).toEqual(store);
  });

  it("reports progress and the first bad sample as the store-based run does", () => {
    const { ts, good, total } = arrays(
      Array.from({ length: 1000 }, (_, i) => ({ gap: 10_000, badShare: i === 700 ? 1 : 0, total: 10 })),
      0,
    );
    const seen = (through: typeof backtestArrays) => {
      const progress: [number, number][] = [];
      const r = through(makeSlo(), ts, good, total, {
        progressEvery: 300,
        onProgress: (p) => progress.push([p.samples, p.atMs]),
      });
      return { progress, firstBad: r.summary.firstBadSampleMs };
    };
    const fast = seen(backtestArrays);
    expect(fast).toEqual(seen(backtestArraysThroughStore));
    expect(fast.firstBad).toBe(ts[700]);
    expect(fast.progress.map(([s]) => s)).toEqual([300, 600, 900, 1000]);
  });

  it("leaves timeslices budgeting, repeated timestamps and invalid counts to the store", () => {
    const ts = [START + 10_000, START + 20_000, START + 30_000];
    const counts = [10, 10, 10];
    expect(takenWithoutStore(makeSlo(), ts, counts, counts)).toBe(true);
    const slices = makeSlo({ budgeting: { method: "timeslices", sliceMs: 60_000, sliceTarget: 0.99 } });
    expect(takenWithoutStore(slices, ts, counts, counts)).toBe(false);
    expect(takenWithoutStore(makeSlo(), [START, START, START + 10_000], counts, counts)).toBe(false);
    expect(
      takenWithoutStore(
        makeSlo(),
        [START, START + 20_000, START + 10_000, START + 30_000],
        [1, 1, 1, 1],
        [1, 1, 1, 1],
      ),
    ).toBe(false);
    expect(takenWithoutStore(makeSlo(), [START, Number.NaN, START + 10_000], counts, counts)).toBe(false);
    expect(takenWithoutStore(makeSlo(), [START, START + 1, Number.POSITIVE_INFINITY], counts, counts)).toBe(
      false,
    );
    expect(takenWithoutStore(makeSlo(), ts, [11, 10, 10], counts)).toBe(false);
    expect(takenWithoutStore(makeSlo(), ts, [10, -1, 10], counts)).toBe(false);
    expect(takenWithoutStore(makeSlo(), ts, counts, [10, Number.NaN, 10])).toBe(false);
    expect(takenWithoutStore(makeSlo(), ts, [10, 10, 10], [10, 10, Number.POSITIVE_INFINITY])).toBe(false);
    expect(takenWithoutStore(makeSlo(), [], [], [])).toBe(false);
  });

  it("backtests samples it leaves to the store with the store's results", () => {
    const ts = [START + 10_000, START + 30_000, START + 20_000, START + 40_000];
    const good = [10, 0, 10, 10];
    const total = [10, 10, 10, 10];
    expect(takenWithoutStore(makeSlo(), ts, good, total)).toBe(false);
    expect(backtestArrays(makeSlo(), ts, good, total)).toEqual(
      backtestArraysThroughStore(makeSlo(), ts, good, total),
    );
  });
});

describe("backtestMany", () => {
  it("backtests SLOs on worker threads with the results of backtestArrays, in job order", async () => {
    const made = Array.from({ length: 5 }, (_, k) => {
      const { ts, good, total } = arrays(
        Array.from({ length: 2000 }, (_, i) => ({
          gap: 10_000,
          badShare: i > 300 * k && i < 300 * k + 60 ? 1 : 0,
          total: 100,
        })),
        0,
      );
      return {
        slo: makeSlo({ id: `svc/slo-${k}` }),
        ts: Float64Array.from(ts),
        good: Float64Array.from(good),
        total: Float64Array.from(total),
      };
    });
    const expected = made.map((j) => backtestArrays(j.slo, j.ts, j.good, j.total));
    const results = await backtestMany(
      made.map((j) => ({ ...j, ts: j.ts.slice(), good: j.good.slice(), total: j.total.slice() })),
      { workers: 2 },
    );
    expect(results).toEqual(expected);
    expect(results.map((r) => r.events[0]?.at)).toEqual(expected.map((r) => r.events[0]?.at));
    expect(new Set(results.map((r) => r.events[0]?.sloId)).size).toBe(5);
  });

  it("lets many jobs read the same samples on a SharedArrayBuffer without moving them away", async () => {
    const { ts, good, total } = arrays(
      Array.from({ length: 3000 }, (_, i) => ({
        gap: 10_000,
        badShare: i > 1000 && i < 1100 ? 1 : 0,
        total: 100,
      })),
      0,
    );
    const onShared = (values: number[]): Float64Array => {
      const out = new Float64Array(new SharedArrayBuffer(values.length * 8));
      out.set(values);
      return out;
    };
    const shared = { ts: onShared(ts), good: onShared(good), total: onShared(total) };
    const jobs = Array.from({ length: 6 }, (_, k) => ({
      slo: makeSlo({ id: `svc/shared-${k}` }),
      ...shared,
    }));
    const results = await backtestMany(jobs, { workers: 2 });
    expect(results.map((r) => r.summary.pages)).toEqual(
      jobs.map((j) => backtestArrays(j.slo, ts, good, total).summary.pages),
    );
    expect(results.every((r) => r.summary.pages > 0)).toBe(true);
    // Still readable here: shared, not transferred.
    expect(shared.ts.length).toBe(3000);
    expect(results.map((r) => r.events[0]?.sloId)).toEqual(jobs.map((j) => j.slo.id));
  });
});
