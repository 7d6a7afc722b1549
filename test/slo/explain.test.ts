import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultAlertLines } from "../../src/slo/alert-policy.js";
import { explainLine } from "../../src/slo/explain.js";
import type { AlertLine } from "../../src/slo/model.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const W = 30 * DAY;
const [pageFast, pageSlow, ticketFast, ticketSlow] = defaultAlertLines(W, 0.999) as [
  AlertLine,
  AlertLine,
  AlertLine,
  AlertLine,
];

describe("explain", () => {
  it("fires the 1h/5m page 51.84 s into a total outage of a 99.9% SLO", () => {
    const e = explainLine(pageFast, 0.999, W);
    // 14.4 × 0.001 × 3600 s of errors in the long window; the 5 m window needs only 4.32 s.
    expect(e.detectionFullOutageMs / 1000).toBeCloseTo(51.84, 9);
    expect((pageFast.shortWindowMs * 14.4 * 0.001) / 1000).toBeCloseTo(4.32, 9);
  });

  it("knows the budget spent when each line fires: 2%, 5%, 10%, 10%", () => {
    const shares = [pageFast, pageSlow, ticketFast, ticketSlow].map(
      (l) => explainLine(l, 0.999, W).budgetConsumedAtDetection,
    );
    for (const [i, s] of [0.02, 0.05, 0.1, 0.1].entries()) expect(shares[i]).toBeCloseTo(s, 9);
  });

  it("never fires the fast page at a 1% error rate on a 99.9% SLO, but the slow page after 3.6 h", () => {
    expect(explainLine(pageFast, 0.999, W, 0.01).detectionMs).toBe(Number.POSITIVE_INFINITY);
    // 6 × 0.001 = 0.6% threshold; 6 h × 0.006 / 0.01 = 3.6 h.
    expect(explainLine(pageSlow, 0.999, W, 0.01).detectionMs / HOUR).toBeCloseTo(3.6, 9);
  });

  it("gives the smallest error rate that ever fires: burnRate × (1 − objective)", () => {
    expect(explainLine(pageFast, 0.999, W).minErrorRate).toBeCloseTo(0.0144, 12);
    expect(explainLine(ticketSlow, 0.999, W).minErrorRate).toBeCloseTo(0.001, 12);
  });

  it("says a 14.4 line can never fire on a 90% SLO", () => {
    const e = explainLine({ ...pageFast }, 0.9, W);
    expect(e.canFire).toBe(false);
    expect(e.detectionFullOutageMs).toBe(Number.POSITIVE_INFINITY);
  });

  it("resets within the short window, while the long window alone would take the long window", () => {
    const e = explainLine(pageFast, 0.999, W);
    expect(e.resetMs / 1000).toBeCloseTo(300 * (1 - 0.0144), 6);
    expect(e.longWindowResetMs).toBe(HOUR);
  });

  it("fires exactly when both windows reach the threshold and has spent the promised budget by then", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(pageFast, pageSlow, ticketFast, ticketSlow),
        fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        (line, o, rate) => {
          const e = explainLine(line, o, W, rate);
          const threshold = line.burnRate * (1 - o);
          if (rate < threshold || threshold > 1) {
            expect(e.detectionMs).toBe(Number.POSITIVE_INFINITY);
            return;
          }
          const t = e.detectionMs;
          const ratioOver = (w: number) => (rate * Math.min(t, w)) / w;
          expect(ratioOver(line.longWindowMs)).toBeGreaterThanOrEqual(threshold * (1 - 1e-9));
          expect(ratioOver(line.shortWindowMs)).toBeGreaterThanOrEqual(threshold * (1 - 1e-9));
          // Spent at detection: errors so far over the window's allowance.
          expect((rate * t) / (W * (1 - o))).toBeCloseTo(e.budgetConsumedAtDetection, 9);
        },
      ),
    );
  });
});
