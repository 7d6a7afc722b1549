import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyLineOverrides,
  defaultAlertLines,
  defaultMinEvents,
  niceDuration,
} from "../../src/slo/alert-policy.js";
import { budgetConsumed } from "../../src/slo/budget.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("default alert policy", () => {
  it("is the Workbook's table for a 30-day window", () => {
    const lines = defaultAlertLines(30 * DAY, 0.999);
    expect(lines.map((l) => [l.name, l.severity, l.burnRate, l.longWindowMs, l.shortWindowMs])).toEqual([
      ["page-fast", "page", 14.4, HOUR, 5 * MIN],
      ["page-slow", "page", 6, 6 * HOUR, 30 * MIN],
      ["ticket-fast", "ticket", 3, DAY, 2 * HOUR],
      ["ticket-slow", "ticket", 1, 3 * DAY, 6 * HOUR],
    ]);
  });

  it("keeps 1 h over 5 m for 28 days and lowers the factor so 2% of the budget fires the page", () => {
    const pageFast = defaultAlertLines(28 * DAY, 0.999)[0]!;
    expect(pageFast.longWindowMs).toBe(HOUR);
    expect(pageFast.shortWindowMs).toBe(5 * MIN);
    expect(pageFast.burnRate).toBeCloseTo(13.44, 9);
  });

  it("shrinks the windows for a 7-day SLO (15 m over 1 m for the fast page)", () => {
    const pageFast = defaultAlertLines(7 * DAY, 0.999)[0]!;
    expect(pageFast.longWindowMs).toBe(15 * MIN);
    expect(pageFast.shortWindowMs).toBe(MIN);
  });

  it("fires every default line after spending 2%, 5%, 10% and 10% of the budget for any window", () => {
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 400 }), (days) => {
        const w = days * DAY;
        const shares = defaultAlertLines(w, 0.999).map((l) => budgetConsumed(l.burnRate, l.longWindowMs, w));
        [0.02, 0.05, 0.1, 0.1].forEach((expected, i) => {
          expect(Math.abs((shares[i] ?? 0) - expected) / expected).toBeLessThan(1e-3);
        });
      }),
    );
  });

  it("always has short windows shorter than long windows and long windows within the SLO window", () => {
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 400 }), (days) => {
        for (const l of defaultAlertLines(days * DAY, 0.99)) {
          expect(l.shortWindowMs).toBeLessThan(l.longWindowMs);
          expect(l.longWindowMs).toBeLessThanOrEqual(days * DAY);
        }
      }),
    );
  });

  it("sets minEvents so that one bad event alone cannot fire a line", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: 0.9, max: 0.99999, noNaN: true }),
        (burn, o) => {
          const n = defaultMinEvents(burn, o);
          // With n events, a single bad one gives an error ratio of 1/n, below the threshold.
          expect(1 / n).toBeLessThan(burn * (1 - o));
          // With one event fewer it could reach the threshold (unless n is already 1).
          if (n > 1) expect(1 / (n - 1)).toBeGreaterThanOrEqual(burn * (1 - o) * (1 - 1e-6));
        },
      ),
    );
    expect(defaultMinEvents(14.4, 0.999)).toBe(70);
  });

  it("rounds to the nearest nice duration in log scale", () => {
    expect(niceDuration(56 * MIN)).toBe(HOUR);
    expect(niceDuration(14 * MIN)).toBe(15 * MIN);
  });
});

describe("line overrides", () => {
  it("overrides single fields, keeps the rest, and adds complete new lines", () => {
    const base = defaultAlertLines(30 * DAY, 0.999);
    const { lines, incomplete } = applyLineOverrides(
      base,
      {
        "page-fast": { enabled: false },
        "page-slow": { burnRate: 5 },
        weekend: { severity: "ticket", burnRate: 2, longWindowMs: 12 * HOUR, shortWindowMs: HOUR },
        partial: { burnRate: 2 },
      },
      0.999,
    );
    expect(lines[0]).toMatchObject({ name: "page-fast", enabled: false, burnRate: 14.4 });
    expect(lines[1]).toMatchObject({
      name: "page-slow",
      burnRate: 5,
      longWindowMs: 6 * HOUR,
      minEvents: defaultMinEvents(5, 0.999),
    });
    expect(lines.at(-1)).toMatchObject({ name: "weekend", severity: "ticket", enabled: true });
    expect(incomplete).toEqual(["partial"]);
  });
});
