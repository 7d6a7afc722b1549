import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import { SeriesBuffer } from "../../src/tsdb/series-buffer.js";
import { SeriesLayout } from "../../src/tsdb/series-layout.js";
import { SliStore } from "../../src/tsdb/sli-store.js";
import { DEFAULT_TIERS } from "../../src/tsdb/tier.js";

const T0 = 1_700_000_000_000;
const layout = new SeriesLayout(DEFAULT_TIERS);

function buffer(kind: "interval" | "cumulative" = "interval"): SeriesBuffer {
  return new SeriesBuffer("svc/slo", kind, layout);
}

describe("SeriesBuffer", () => {
  it("sums the per-interval counts of a 5-minute window from 10-second samples", () => {
    const b = buffer();
    for (let k = 1; k <= 60; k++) b.appendInterval(T0 + k * 10_000, 90 + (k % 10), 100);
    const now = T0 + 600_000;
    const s = b.sum(now - 300_000, now);
    // samples k = 31..60 fall in (now - 5m, now]
    let good = 0;
    for (let k = 31; k <= 60; k++) good += 90 + (k % 10);
    expect(s).toEqual({ good, total: 3000 });
  });

  it("does not double-count a sample written twice with the same timestamp, and keeps the last value", () => {
    const b = buffer();
    b.appendInterval(T0 + 10_000, 5, 10);
    b.appendInterval(T0 + 20_000, 7, 10);
    b.appendInterval(T0 + 10_000, 9, 10);
    b.appendInterval(T0 + 10_000, 9, 10);
    expect(b.sum(T0, T0 + 20_000)).toEqual({ good: 16, total: 20 });
    expect(b.sum(T0 - 86_400_000 * 30, T0 + 20_000)).toEqual({ good: 16, total: 20 });
  });

  it("recalls a sample by timestamp, knows a newer one is not stored, and admits it cannot tell inside a shared bucket", () => {
    const b = buffer();
    const out = new Float64Array(2);
    // Three scrapes one second apart share one 10-second bucket.
    b.appendInterval(T0 + 1_000, 9, 10);
    b.appendInterval(T0 + 2_000, 8, 10);
    expect(b.recall(T0 + 2_000, out)).toBe(1);
    expect([...out]).toEqual([8, 10]);
    // Newer than the newest sample: certainly not stored, though its slot holds another sample.
    expect(b.recall(T0 + 3_000, out)).toBe(0);
    // Older, in the same bucket: the slot remembers only the last sample, so the store cannot tell.
    expect(b.recall(T0 + 1_000, out)).toBe(-1);
  });

  it("adds a sample that arrives a day late to every tier that still covers it", () => {
    const b = buffer();
    for (let k = 0; k <= 48; k++) b.appendInterval(T0 + k * 3_600_000, 100, 100);
    b.appendInterval(T0 + 24 * 3_600_000 + 1_000, 0, 50);
    const now = T0 + 48 * 3_600_000;
    expect(b.sum(now - 2 * 86_400_000, now)).toEqual({ good: 4800, total: 4850 });
    expect(b.sum(now - 86_400_000 - 3_600_000, now - 86_400_000 + 3_600_000)).toEqual({
      good: 200,
      total: 250,
    });
  });

  it("counts a counter from zero after it decreases (a reset)", () => {
    const b = buffer("cumulative");
    b.appendCounter(T0, 100, 100);
    b.appendCounter(T0 + 10_000, 190, 200);
    b.appendCounter(T0 + 20_000, 30, 40);
    b.appendCounter(T0 + 30_000, 80, 100);
    expect(b.sum(T0 - 10_000, T0 + 30_000)).toEqual({ good: 90 + 30 + 50, total: 100 + 40 + 60 });
  });

  it("reports no events before the first sample and for windows after a long silence", () => {
    const b = buffer();
    expect(b.sum(T0 - 1000, T0)).toEqual({ good: 0, total: 0 });
    b.appendInterval(T0, 1, 1);
    expect(b.sum(T0 + 86_400_000, T0 + 2 * 86_400_000)).toEqual({ good: 0, total: 0 });
  });

  it("rejects a sample with more good than total events with a stable code", () => {
    const b = buffer();
    try {
      b.appendInterval(T0, 11, 10);
      expect.unreachable();
    } catch (e) {
      expect(isNinesError(e) && e.code).toBe("NINES_ERR_TSDB_SAMPLE_INVALID");
    }
  });

  it("keeps 35 days of history in under 64 KB per series", () => {
    expect(layout.bytes).toBeLessThanOrEqual(64 * 1024);
    const longest = Math.max(...DEFAULT_TIERS.map((t) => t.resolutionMs * t.slots));
    expect(longest).toBeGreaterThanOrEqual(35 * 86_400_000);
  });
});

interface Op {
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

/** Naive model: every accepted sample kept raw; duplicates replace the last write only within the finest span. */
function naive(ops: readonly Op[]) {
  const samples: { ts: number; good: number; total: number }[] = [];
  const latest = new Map<number, number>();
  let head = -Infinity;
  const finestSpanBuckets = DEFAULT_TIERS[0]!.slots;
  const r0 = DEFAULT_TIERS[0]!.resolutionMs;
  for (const op of ops) {
    head = Math.max(head, op.ts);
    const inFinest = Math.ceil(op.ts / r0) > Math.ceil(head / r0) - finestSpanBuckets;
    const at = latest.get(op.ts);
    if (inFinest && at !== undefined) samples[at] = { ...op };
    else {
      samples.push({ ...op });
      if (inFinest) latest.set(op.ts, samples.length - 1);
    }
  }
  return samples;
}

const opArb = (base: number, spanSteps: number) =>
  fc
    .record({
      // A narrow range makes duplicates and out-of-order samples within the finest span common.
      step: fc.oneof(
        fc.integer({ min: 0, max: spanSteps }),
        fc.integer({ min: spanSteps - 400, max: spanSteps }),
      ),
      good: fc.integer({ min: 0, max: 1000 }),
      bad: fc.integer({ min: 0, max: 50 }),
    })
    .map(({ step, good, bad }) => ({ ts: base + step * 10_000, good, total: good + bad }));

describe("SeriesBuffer properties", () => {
  it("answers every window like a naive sum over the raw samples, with late samples and duplicates", () => {
    fc.assert(
      fc.property(
        fc.array(opArb(T0, 40_000), { minLength: 1, maxLength: 300 }),
        fc.array(
          fc.oneof(
            fc.integer({ min: 10_000, max: 7_200_000 }),
            fc.integer({ min: 10_000, max: 40 * 86_400_000 }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (ops, windows) => {
          const b = buffer();
          for (const op of ops) b.appendInterval(op.ts, op.good, op.total);
          const raw = naive(ops);
          const now = b.headTs;
          for (const w of windows) {
            const s = b.sumBounded(now - w, now);
            let good = 0;
            let total = 0;
            for (const x of raw) {
              if (x.ts > s.fromMs && x.ts <= s.toMs) {
                good += x.good;
                total += x.total;
              }
            }
            expect({ good: s.good, total: s.total }).toEqual({ good, total });
            // The far end is rounded up by less than one bucket, or moved before the first sample.
            expect(s.fromMs < now - w + s.resolutionMs || s.fromMs < b.firstTs).toBe(true);
            expect(s.fromMs).toBeGreaterThanOrEqual(Math.min(now - w, b.firstTs - s.resolutionMs));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("answers windows over counters like the increases of the deduplicated readings, resets included", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 3 }),
            incGood: fc.integer({ min: 0, max: 100 }),
            incBad: fc.integer({ min: 0, max: 10 }),
            reset: fc.boolean(),
          }),
          { minLength: 2, maxLength: 200 },
        ),
        (steps) => {
          const b = buffer("cumulative");
          const readings: Op[] = [];
          let ts = T0;
          let good = 0;
          let total = 0;
          for (const st of steps) {
            ts += st.gap * 10_000;
            if (st.reset) {
              good = st.incGood;
              total = st.incGood + st.incBad;
            } else {
              good += st.incGood;
              total += st.incGood + st.incBad;
            }
            const last = readings[readings.length - 1];
            if (last && last.ts === ts) readings[readings.length - 1] = { ts, good, total };
            else readings.push({ ts, good, total });
            b.appendCounter(ts, good, total);
          }
          const now = b.headTs;
          const expected = { good: 0, total: 0 };
          for (let i = 1; i < readings.length; i++) {
            const p = readings[i - 1]!;
            const c = readings[i]!;
            const dt = c.total >= p.total ? c.total - p.total : c.total;
            expected.total += dt;
            expected.good += Math.min(c.good >= p.good ? c.good - p.good : c.good, dt);
          }
          expect(b.sum(T0 - 1, now)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("SliStore", () => {
  it("returns chart points whose sums add up to the whole range", () => {
    const store = new SliStore();
    store.ensure("a/b");
    for (let k = 1; k <= 360; k++) store.append("a/b", T0 + k * 10_000, k % 7 === 0 ? 0 : 10, 10);
    const points = store.range("a/b", T0, T0 + 3_600_000, 300_000);
    expect(points).toHaveLength(12);
    const bad = points.reduce((n, p) => n + p.total - p.good, 0);
    expect(bad).toBe(Math.floor(360 / 7) * 10);
  });

  it("refuses to read a series it does not hold", () => {
    const store = new SliStore();
    expect(() => store.sum("nope/x", 0, 1)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_TSDB_SERIES_UNKNOWN" }),
    );
  });
});

describe("SliStore interleaved lanes", () => {
  it("gives series sharing a group the same window sums as a series of its own, late samples included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), opArb(T0, 40_000)), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.array(fc.integer({ min: 10_000, max: 40 * 86_400_000 }), { minLength: 1, maxLength: 6 }),
        (ops, windows) => {
          const store = new SliStore({ lanes: 4 });
          const grouped = Array.from({ length: 5 }, (_, i) => store.ensure(`a/s${i}`));
          const alone = Array.from({ length: 5 }, () => buffer());
          for (const [i, op] of ops) {
            grouped[i]!.appendInterval(op.ts, op.good, op.total);
            alone[i]!.appendInterval(op.ts, op.good, op.total);
          }
          const out = new Float64Array(2);
          for (let i = 0; i < 5; i++) {
            const g = grouped[i]!;
            const a = alone[i]!;
            expect([g.headTs, g.firstTs, g.lastTrafficTs]).toEqual([a.headTs, a.firstTs, a.lastTrafficTs]);
            const now = Number.isNaN(a.headTs) ? T0 : a.headTs + 30_000;
            for (const w of windows) {
              expect(g.sumBounded(now - w, now)).toEqual(a.sumBounded(now - w, now));
              g.sumInto(now - w, now, out, 0);
              expect([out[0], out[1]]).toEqual([a.sum(now - w, now).good, a.sum(now - w, now).total]);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps a sample hours late out of the finer tiers' windows and in the coarser ones", () => {
    const store = new SliStore();
    const s = store.ensure("a/b");
    for (let k = 1; k <= 1000; k++) s.appendInterval(T0 + k * 60_000, 10, 10);
    const now = T0 + 1000 * 60_000;
    s.appendInterval(now - 10 * 3_600_000, 0, 7); // older than the 1 h and 6 h tiers keep
    const out = new Float64Array(2);
    s.sumInto(now - 300_000, now, out, 0);
    expect([out[0], out[1]]).toEqual([50, 50]);
    s.sumInto(now - 6 * 3_600_000, now, out, 0);
    expect([out[0], out[1]]).toEqual([3600, 3600]);
    expect(s.sum(now - 86_400_000, now)).toEqual({ good: 10_000, total: 10_007 });
  });
});

describe("SliStore series lifecycle", () => {
  it("gives a series created after a delete a clean history even when it reuses the cells", () => {
    const store = new SliStore();
    store.ensure("a/one");
    store.append("a/one", T0, 5, 10);
    store.delete("a/one");
    const fresh = store.ensure("a/two");
    expect(Number.isNaN(fresh.headTs)).toBe(true);
    expect(store.sum("a/two", T0 - 86_400_000, T0 + 86_400_000)).toEqual({ good: 0, total: 0 });
    fresh.appendInterval(T0 + 10_000, 1, 2);
    expect(store.sum("a/two", T0, T0 + 10_000)).toEqual({ good: 1, total: 2 });
  });

  it("keeps the samples of every series in a group while series are created, deleted and created again", () => {
    const store = new SliStore({ lanes: 4 });
    const write = (id: string, good: number) => {
      store.ensure(id);
      store.append(id, T0 + 10_000, good, 100);
    };
    const has = (id: string) => store.sum(id, T0, T0 + 10_000).good;
    // Three groups of four lanes: creating the first series of each commits that group's memory.
    for (let i = 0; i < 9; i++) write(`a/s${i}`, i + 1);
    store.delete("a/s5");
    write("a/again", 50); // takes the freed lane in the second group
    write("a/s9", 10);
    write("a/s10", 11);
    write("a/s11", 12);
    write("a/s12", 13); // the first lane of a fourth group
    expect([...store.ids()].map(has)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 50, 10, 11, 12, 13]);
  });

  it("refuses to reopen a per-interval series as a counter series", () => {
    const store = new SliStore();
    store.ensure("a/b", "interval");
    expect(() => store.ensure("a/b", "cumulative")).toThrow(
      expect.objectContaining({ code: "NINES_ERR_TSDB_SERIES_KIND_CONFLICT" }),
    );
  });
});
