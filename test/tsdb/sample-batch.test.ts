import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBatch, encodeBatch, type SampleColumns } from "../../src/tsdb/sample-batch.js";

const count = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.constantFrom(0, 1, 2 ** 32, 2 ** 53, 0.5, 1e-9, 123.25),
);
const columnsArb: fc.Arbitrary<SampleColumns> = fc
  .record({
    ids: fc.uniqueArray(
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes("\u0000")),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    rows: fc.array(
      fc.record({ k: fc.nat(), ts: fc.integer({ min: 0, max: 2 ** 45 }), good: count, total: count }),
    ),
    sameTs: fc.boolean(),
  })
  .map(({ ids, rows, sameTs }) => ({
    ids,
    series: Uint32Array.from(rows, (r) => r.k % ids.length),
    ts: Float64Array.from(rows, (r) => (sameTs ? 1_764_000_000_000 : r.ts)),
    good: Float64Array.from(rows, (r) => r.good),
    total: Float64Array.from(rows, (r) => r.total),
  }));

const plain = (c: SampleColumns) => ({
  ids: [...c.ids],
  series: [...c.series],
  ts: [...c.ts],
  good: [...c.good],
  total: [...c.total],
});

/** Format 1 as nines wrote it before format 2: ts, good and total as f64, ids' indexes as u32. */
function formatOne(c: SampleColumns): Buffer {
  const n = c.ts.length;
  const names = Buffer.from(c.ids.join("\u0000"), "utf8");
  const out = Buffer.alloc(16 + 28 * n + names.length);
  out.writeUInt8(1, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(names.length, 8);
  for (let i = 0; i < n; i++) {
    out.writeDoubleLE(c.ts[i]!, 16 + 8 * i);
    out.writeDoubleLE(c.good[i]!, 16 + 8 * (n + i));
    out.writeDoubleLE(c.total[i]!, 16 + 8 * (2 * n + i));
    out.writeUInt32LE(c.series[i]!, 16 + 24 * n + 4 * i);
  }
  names.copy(out, 16 + 28 * n);
  return out;
}

describe("the log's binary form of a sample batch", () => {
  it("reads back every batch exactly, whatever its timestamps and counts", () => {
    fc.assert(
      fc.property(columnsArb, (c) => {
        expect(plain(decodeBatch(encodeBatch(c)))).toEqual(plain(c));
      }),
      { numRuns: 500 },
    );
  });

  it("still reads batches written in format 1", () => {
    fc.assert(
      fc.property(columnsArb, (c) => {
        expect(plain(decodeBatch(formatOne(c)))).toEqual(plain(c));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps a scrape of 1,000 SLOs in a third of format 1's column bytes", () => {
    const n = 1000;
    const c: SampleColumns = {
      ids: Array.from({ length: n }, (_, i) => `checkout/slo-${i}`),
      series: Uint32Array.from({ length: n }, (_, i) => i),
      ts: new Float64Array(n).fill(1_764_000_000_000),
      good: Float64Array.from({ length: n }, (_, i) => 1000 - (i % 3)),
      total: new Float64Array(n).fill(1000),
    };
    const names = Buffer.from(c.ids.join("\u0000")).length;
    expect(encodeBatch(c).length - 16 - names).toBe(8 + 10 * n);
    expect(formatOne(c).length - 16 - names).toBe(28 * n);
    expect(plain(decodeBatch(encodeBatch(c)))).toEqual(plain(c));
  });

  it("keeps indexes past 65,536 ids, and signed zero and fractions, in full", () => {
    const n = 70_000;
    const c: SampleColumns = {
      ids: Array.from({ length: n }, (_, i) => `s${i}`),
      series: Uint32Array.from({ length: n }, (_, i) => n - 1 - i),
      ts: Float64Array.from({ length: n }, (_, i) => i),
      good: Float64Array.from({ length: n }, (_, i) => (i === 0 ? -0 : i / 2)),
      total: Float64Array.from({ length: n }, (_, i) => i),
    };
    const back = decodeBatch(encodeBatch(c));
    expect(plain(back)).toEqual(plain(c));
    expect(Object.is(back.good[0], -0)).toBe(true);
  });

  it("refuses bytes that are not a batch, naming what is wrong", () => {
    const good = encodeBatch({
      ids: ["a"],
      series: Uint32Array.of(0),
      ts: Float64Array.of(1),
      good: Float64Array.of(1),
      total: Float64Array.of(1),
    });
    expect(() => decodeBatch(Buffer.from([9, 0, 0]))).toThrow(/unknown format/);
    expect(() => decodeBatch(Buffer.concat([good, Buffer.from([0])]))).toThrow(/length does not match/);
    const wrongIndex = Buffer.from(good);
    wrongIndex.writeUInt16LE(5, 16 + 8 + 8);
    expect(() => decodeBatch(wrongIndex)).toThrow(/id index out of range/);
  });
});
