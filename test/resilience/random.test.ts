import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/resilience/index.js";

describe("mulberry32", () => {
  it("returns numbers in [0, 1) for any seed", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = mulberry32(seed);
        for (let i = 0; i < 100; i++) {
          const x = random();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it("fills ten equal bins within 5% of a uniform count over 100 000 draws", () => {
    const random = mulberry32(2024);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(random() * 10)]! += 1;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("repeats its sequence for a seed", () => {
    const a = mulberry32(99);
    const b = mulberry32(99);
    for (let i = 0; i < 10; i++) expect(a()).toBe(b());
  });
});
