import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allowedBadEvents,
  budgetConsumed,
  budgetStatus,
  burnRate,
  burnRateForBudgetShare,
  errorBudgetFraction,
  forecastExhaustion,
  fullOutageBudgetMs,
  nominalWindowMs,
  timeToExhaustionMs,
} from "../../src/slo/budget.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("error budget", () => {
  it("allows 43.2 minutes of full outage for 99.9% over 30 days", () => {
    expect(fullOutageBudgetMs(0.999, 30 * DAY) / MIN).toBeCloseTo(43.2, 9);
  });

  it("allows 1,000 bad events in a million at 99.9%", () => {
    expect(allowedBadEvents(0.999, 1_000_000)).toBeCloseTo(1000, 6);
    expect(errorBudgetFraction(0.999)).toBeCloseTo(0.001, 12);
  });

  it("spends 2% of a 30-day budget at burn 14.4 over 1 h", () => {
    expect(budgetConsumed(14.4, HOUR, 30 * DAY)).toBeCloseTo(0.02, 12);
  });

  it("spends 5% of a 30-day budget at burn 6 over 6 h", () => {
    expect(budgetConsumed(6, 6 * HOUR, 30 * DAY)).toBeCloseTo(0.05, 12);
  });

  it("spends 10% of a 30-day budget at burn 3 over 1 d and at burn 1 over 3 d", () => {
    expect(budgetConsumed(3, DAY, 30 * DAY)).toBeCloseTo(0.1, 12);
    expect(budgetConsumed(1, 3 * DAY, 30 * DAY)).toBeCloseTo(0.1, 12);
  });

  it("burns at 14.4 when 1.44% of requests fail against 99.9%", () => {
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 9);
  });

  it("needs burn 13.44 to spend 2% of a 28-day budget in 1 h", () => {
    expect(burnRateForBudgetShare(0.02, HOUR, 28 * DAY)).toBeCloseTo(13.44, 9);
  });

  it("counts budget spent and remaining in events", () => {
    const s = budgetStatus(0.999, 250, 1_000_000);
    expect(s.budgetEvents).toBeCloseTo(1000, 6);
    expect(s.spentShare).toBeCloseTo(0.25, 9);
    expect(s.remainingShare).toBeCloseTo(0.75, 9);
    expect(s.remainingEvents).toBeCloseTo(750, 6);
    expect(s.burnRate).toBeCloseTo(0.25, 9);
  });

  it("reports an overspent budget as negative remaining", () => {
    const s = budgetStatus(0.99, 300, 10_000);
    expect(s.remainingShare).toBeCloseTo(-2, 9);
  });

  it("runs out a full 30-day budget in 50 h at burn 14.4", () => {
    expect(timeToExhaustionMs(1, 14.4, 30 * DAY) / HOUR).toBeCloseTo(50, 9);
    expect(timeToExhaustionMs(1, 0, 30 * DAY)).toBe(Number.POSITIVE_INFINITY);
  });

  it("forecasts exhaustion before the window ends only when burning faster than the rest allows", () => {
    const f = forecastExhaustion(0.5, 2, 30 * DAY, 1_000, 10 * DAY);
    expect(f.exhaustsInMs).toBeCloseTo(7.5 * DAY, 3);
    expect(f.exhaustsAtMs).toBeCloseTo(1_000 + 7.5 * DAY, 3);
    expect(f.exhaustsBeforeWindowEnd).toBe(true);
    expect(forecastExhaustion(0.5, 1, 30 * DAY, 0, 10 * DAY).exhaustsBeforeWindowEnd).toBe(false);
    expect(forecastExhaustion(0.5, 0, 30 * DAY, 0).exhaustsAtMs).toBeNull();
  });

  it("uses nominal lengths for calendar windows", () => {
    expect(nominalWindowMs({ kind: "calendar", unit: "month", timeZone: "UTC" })).toBe(30 * DAY);
    expect(nominalWindowMs({ kind: "calendar", unit: "week", timeZone: "UTC" })).toBe(7 * DAY);
    expect(nominalWindowMs({ kind: "rolling", lengthMs: 28 * DAY })).toBe(28 * DAY);
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN])("refuses objective %d with NINES_ERR_SLO_ARGUMENT_INVALID", (o) => {
    expect(() => errorBudgetFraction(o)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_SLO_ARGUMENT_INVALID" }),
    );
  });

  it("inverts budgetConsumed with burnRateForBudgetShare", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: MIN, max: 30 * DAY }),
        fc.integer({ min: DAY, max: 365 * DAY }),
        (share, t, w) => {
          expect(budgetConsumed(burnRateForBudgetShare(share, t, w), t, w)).toBeCloseTo(share, 9);
        },
      ),
    );
  });

  it("spends exactly the whole budget at burn 1 over the whole window", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
        fc.integer({ min: DAY, max: 365 * DAY }),
        (o, w) => {
          const errorRatio = 1 - o;
          expect(budgetConsumed(burnRate(errorRatio, o), w, w)).toBeCloseTo(1, 9);
        },
      ),
    );
  });
});
