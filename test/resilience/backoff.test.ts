import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Jitter, mulberry32, startBackoff } from "../../src/resilience/index.js";

const params = fc.record({
  baseMs: fc.integer({ min: 1, max: 1000 }),
  capMs: fc.integer({ min: 1, max: 100_000 }),
  multiplier: fc.double({ min: 1.1, max: 4, noNaN: true }),
  seed: fc.integer(),
  retries: fc.integer({ min: 1, max: 40 }),
});

describe("exponential backoff with jitter", () => {
  it("doubles from the base up to the cap without jitter (100, 200, 400 … 6400, then 10 s)", () => {
    const s = startBackoff({ jitter: "none", baseMs: 100, capMs: 10_000, multiplier: 2 }, mulberry32(1));
    const delays = Array.from({ length: 9 }, () => s.next());
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it("keeps full jitter within [0, min(cap, base × m^n)]", () => {
    fc.assert(
      fc.property(params, ({ baseMs, capMs, multiplier, seed, retries }) => {
        const s = startBackoff({ jitter: "full", baseMs, capMs, multiplier }, mulberry32(seed));
        for (let n = 0; n < retries; n++) {
          const d = s.next();
          const ceiling = Math.min(capMs, baseMs * multiplier ** n);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(ceiling);
        }
      }),
    );
  });

  it("keeps equal jitter within [exp/2, exp] of the capped exponential", () => {
    fc.assert(
      fc.property(params, ({ baseMs, capMs, multiplier, seed, retries }) => {
        const s = startBackoff({ jitter: "equal", baseMs, capMs, multiplier }, mulberry32(seed));
        for (let n = 0; n < retries; n++) {
          const d = s.next();
          const ceiling = Math.min(capMs, baseMs * multiplier ** n);
          expect(d).toBeGreaterThanOrEqual(ceiling / 2);
          expect(d).toBeLessThanOrEqual(ceiling);
        }
      }),
    );
  });

  it("keeps decorrelated jitter within [base, min(cap, previous × 3)]", () => {
    fc.assert(
      fc.property(params, ({ baseMs, capMs, seed, retries }) => {
        fc.pre(capMs >= baseMs);
        const s = startBackoff({ jitter: "decorrelated", baseMs, capMs }, mulberry32(seed));
        let previous = baseMs;
        for (let n = 0; n < retries; n++) {
          const d = s.next();
          expect(d).toBeGreaterThanOrEqual(baseMs);
          expect(d).toBeLessThanOrEqual(Math.min(capMs, Math.max(baseMs, previous * 3)));
          previous = d;
        }
      }),
    );
  });

  it("never exceeds the cap with any jitter", () => {
    fc.assert(
      fc.property(params, fc.constantFrom<Jitter>("none", "full", "equal", "decorrelated"), (p, jitter) => {
        fc.pre(p.capMs >= p.baseMs);
        const s = startBackoff(
          { jitter, baseMs: p.baseMs, capMs: p.capMs, multiplier: p.multiplier },
          mulberry32(p.seed),
        );
        for (let n = 0; n < p.retries; n++) expect(s.next()).toBeLessThanOrEqual(p.capMs);
      }),
    );
  });

  it("gives the same delays for the same seed and different ones for another seed", () => {
    const run = (seed: number) => {
      const s = startBackoff({ jitter: "full", baseMs: 100, capMs: 10_000 }, mulberry32(seed));
      return Array.from({ length: 5 }, () => s.next());
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("averages full jitter to half the exponential (uniform over [0, exp])", () => {
    const random = mulberry32(3);
    let sum = 0;
    for (let i = 0; i < 20_000; i++)
      sum += startBackoff({ jitter: "full", baseMs: 1000, capMs: 1000 }, random).next();
    expect(sum / 20_000).toBeGreaterThan(480);
    expect(sum / 20_000).toBeLessThan(520);
  });
});
