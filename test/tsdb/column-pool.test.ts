import { describe, expect, it } from "vitest";
import { ColumnPool } from "../../src/tsdb/column-pool.js";

describe("ColumnPool", () => {
  it("hands out three columns of the asked length that do not overlap", () => {
    const c = new ColumnPool().take(1000);
    expect([c.ts.length, c.good.length, c.total.length]).toEqual([1000, 1000, 1000]);
    c.ts.fill(1);
    c.good.fill(2);
    c.total.fill(3);
    expect([...new Set(c.ts)]).toEqual([1]);
    expect([...new Set(c.good)]).toEqual([2]);
    expect([...new Set(c.total)]).toEqual([3]);
  });

  it("reuses a given buffer for the next batch of the same size class, and not before it is given", () => {
    const pool = new ColumnPool();
    const first = pool.take(1000);
    const second = pool.take(900);
    expect(second.ts.buffer).not.toBe(first.ts.buffer);
    pool.give(first);
    expect(pool.take(1024).ts.buffer).toBe(first.ts.buffer);
    expect(pool.take(1000).ts.buffer).not.toBe(first.ts.buffer);
  });

  it("keeps buffers of another size class apart", () => {
    const pool = new ColumnPool();
    const small = pool.take(10);
    pool.give(small);
    expect(pool.take(5000).ts.buffer).not.toBe(small.ts.buffer);
    expect(pool.take(64).ts.buffer).toBe(small.ts.buffer);
  });

  it("ignores columns it did not hand out", () => {
    const pool = new ColumnPool();
    const foreign = {
      ts: new Float64Array(3000),
      good: new Float64Array(3000),
      total: new Float64Array(3000),
    };
    pool.give(foreign);
    const odd = new Float64Array(3 * 100);
    pool.give({ ts: odd.subarray(0, 100), good: odd.subarray(100, 200), total: odd.subarray(200) });
    expect(pool.take(1000).ts.buffer).not.toBe(foreign.ts.buffer);
    expect(pool.take(100).ts.buffer).not.toBe(odd.buffer);
  });

  it("keeps a bounded number of free buffers per size class", () => {
    const pool = new ColumnPool();
    const taken = Array.from({ length: 200 }, () => pool.take(1000));
    for (const c of taken) pool.give(c);
    const buffers = new Set(taken.map((c) => c.ts.buffer));
    let reused = 0;
    for (let i = 0; i < 200; i++) if (buffers.has(pool.take(1000).ts.buffer)) reused++;
    // 4 MB of 1,024-sample buffers (24 KB each).
    expect(reused).toBe(Math.ceil((4 << 20) / (3 * 1024 * 8)));
  });
});
