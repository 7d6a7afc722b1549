import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Evaluator } from "../../src/slo/evaluator.js";
import { evaluate } from "../../src/slo/evaluator-core.js";
import type { AlertEvent } from "../../src/slo/evaluator-types.js";
import type { Slo } from "../../src/slo/model.js";
import { SliStore } from "../../src/tsdb/sli-store.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";
import { nonFinite, START, steady } from "./support/traffic.js";

const TICK = 30_000;
const { MINUTE, HOUR, DAY } = TIME;

function setup(slo: Slo = makeSlo()) {
  const store = new SliStore();
  const evaluator = new Evaluator(store);
  evaluator.register(slo);
  return { store, evaluator, series: store.get(slo.id)!, slo };
}

describe("Evaluator alerting", () => {
  it("fires the 1h/5m page within one 30 s tick of 51.84 s into a total outage of a 99.9% SLO", () => {
    const { evaluator, series } = setup();
    steady(series, START - 7 * DAY, START, 10_000, 100, 100);
    evaluator.tick(START);
    // Burn 14.4 over 1 h means an error ratio of 14.4 × 0.1% = 1.44% of an hour of traffic: 51.84 s of full outage.
    const detectAfterMs = 14.4 * 0.001 * HOUR;
    let fired: AlertEvent | undefined;
    for (let t = START + TICK; t <= START + 10 * MINUTE && !fired; t += TICK) {
      steady(series, t - TICK, t, 10_000, 0, 100);
      fired = evaluator.tick(t).find((e) => e.line === "page-fast");
    }
    expect(fired?.state).toBe("firing");
    expect(fired?.severity).toBe("page");
    const delay = fired!.at - START;
    expect(delay).toBeGreaterThanOrEqual(detectAfterMs);
    expect(delay).toBeLessThan(detectAfterMs + TICK);
    expect(fired!.burnRates.long).toBeGreaterThanOrEqual(14.4);
    expect(fired!.burnRates.short).toBeGreaterThanOrEqual(14.4);
  });

  it("spends 2% of a 30-day budget at burn 14.4 over 1 h", () => {
    const { evaluator, series, slo } = setup();
    const now = START;
    steady(series, now - 30 * DAY, now - HOUR, 10_000, 10_000, 10_000);
    // error ratio 14.4 × (1 − 0.999) = 1.44%: 144 bad events in every 10,000
    steady(series, now - HOUR, now, 10_000, 10_000 - 144, 10_000);
    const status = evaluator.status(slo.id, now);
    expect(1 - status.budget.remainingShare).toBeCloseTo(0.02, 12);
    const hour = status.windows.find((w) => w.windowMs === HOUR)!;
    expect(hour.burnRate).toBeCloseTo(14.4, 9);
    expect(status.forecasts[0]!.burnRate).toBeCloseTo(14.4, 9);
    // At burn 14.4 the remaining 98% lasts 0.98 × 30 d / 14.4.
    expect(status.forecasts[0]!.exhaustedInMs).toBeCloseTo((0.98 * 30 * DAY) / 14.4, 0);
  });

  it("resolves the page once the short window stops burning", () => {
    const { evaluator, series } = setup();
    steady(series, START - DAY, START, 10_000, 100, 100);
    const events: AlertEvent[] = [];
    for (let t = START + TICK; t <= START + 40 * MINUTE; t += TICK) {
      const bad = t <= START + 10 * MINUTE;
      steady(series, t - TICK, t, 10_000, bad ? 0 : 100, 100);
      events.push(...evaluator.tick(t).filter((e) => e.line === "page-fast"));
    }
    expect(events.map((e) => e.state)).toEqual(["firing", "resolved"]);
    const resolved = events[1]!;
    expect(resolved.burnRates.short).toBeLessThan(14.4);
    // the 5 m window is clean 5 minutes after the outage ends, up to one tick
    expect(resolved.at - (START + 10 * MINUTE)).toBeLessThanOrEqual(5 * MINUTE + TICK);
  });

  it("reports no data (null SLI, intact budget, no NaN, no page) when there is no traffic", () => {
    const { evaluator, series, slo } = setup();
    expect(evaluator.tick(START)).toEqual([]);
    steady(series, START, START + HOUR, 10_000, 0, 0);
    expect(evaluator.tick(START + HOUR)).toEqual([]);
    const status = evaluator.status(slo.id, START + HOUR);
    expect(status.sli).toBeNull();
    expect(status.windows.every((w) => w.sli === null && w.burnRate === 0)).toBe(true);
    expect(status.budget.remainingShare).toBe(1);
    expect(status.lines.every((l) => l.state === "ok")).toBe(true);
    expect(nonFinite(status).filter((p) => !p.includes("exhaustedInMs"))).toEqual([]);
    expect(status.forecasts.every((f) => f.exhaustedInMs === null)).toBe(true);
  });

  it("holds a burning line with a reason while the long window has fewer events than minEvents", () => {
    const slo = makeSlo({
      alerting: { name: "default", lines: workbookLines(100), missingDataAfterMs: HOUR },
    });
    const { evaluator, series } = setup(slo);
    for (let k = 1; k <= 10; k++) series.appendInterval(START + k * MINUTE, 0, 1);
    expect(evaluator.tick(START + 10 * MINUTE)).toEqual([]);
    const status = evaluator.status(slo.id, START + 10 * MINUTE);
    const fast = status.lines.find((l) => l.name === "page-fast")!;
    expect(fast.state).toBe("held");
    expect(fast.reason).toContain("minEvents 100");
    expect(fast.longEvents).toBe(10);
  });

  it("raises a missing-data ticket when samples stop after traffic, and resolves it when they return", () => {
    const { evaluator, series, slo } = setup();
    steady(series, START - HOUR, START, 10_000, 100, 100);
    const events: AlertEvent[] = [];
    for (let t = START + TICK; t <= START + 20 * MINUTE; t += TICK) events.push(...evaluator.tick(t));
    const missing = events.filter((e) => e.line === "missing-data");
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({
      severity: "ticket",
      state: "firing",
      sloId: slo.id,
      service: "checkout",
    });
    expect(missing[0]!.at - START).toBeGreaterThanOrEqual(slo.alerting.missingDataAfterMs);
    expect(missing[0]!.at - START).toBeLessThan(slo.alerting.missingDataAfterMs + TICK);
    expect(events.filter((e) => e.line !== "missing-data")).toEqual([]);
    series.appendInterval(START + 20 * MINUTE + 10_000, 100, 100);
    const back = evaluator.tick(START + 20 * MINUTE + TICK);
    expect(back).toMatchObject([{ line: "missing-data", state: "resolved" }]);
  });

  it("never raises missing data for an SLO that never had traffic", () => {
    const { evaluator } = setup();
    for (let t = START; t <= START + 2 * HOUR; t += TICK) expect(evaluator.tick(t)).toEqual([]);
  });
});

describe("Evaluator budgets", () => {
  it("counts bad minutes for timeslices budgeting, with minutes without traffic counted good", () => {
    const slo = makeSlo({ budgeting: { method: "timeslices", sliceMs: MINUTE, sliceTarget: 0.95 } });
    const { evaluator, series } = setup(slo);
    evaluator.tick(START);
    for (let m = 1; m <= 10; m++) {
      const t = START + m * MINUTE;
      if (m === 4) continue; // a minute without traffic
      const good = m === 2 || m === 6 || m === 7 ? 90 : 99;
      steady(series, t - MINUTE, t, 10_000, good, 100);
      evaluator.tick(t - TICK);
      evaluator.tick(t);
    }
    const status = evaluator.status(slo.id, START + 10 * MINUTE);
    expect(status.budget.method).toBe("timeslices");
    expect(status.budget.spent).toBe(3);
    expect(status.budget.allowed).toBeCloseTo(0.001 * 30 * 24 * 60, 9);
    expect(status.budget.remainingShare).toBeCloseTo(1 - 3 / 43.2, 9);
  });

  it("forgets bad slices once they leave a rolling window", () => {
    const slo = makeSlo({
      window: { kind: "rolling", lengthMs: HOUR },
      budgeting: { method: "timeslices", sliceMs: MINUTE, sliceTarget: 0.99 },
    });
    const { evaluator, series } = setup(slo);
    evaluator.tick(START);
    for (let m = 1; m <= 90; m++) {
      const t = START + m * MINUTE;
      series.appendInterval(t, m <= 2 ? 50 : 100, 100);
      evaluator.tick(t);
    }
    expect(evaluator.status(slo.id, START + 90 * MINUTE).budget.spent).toBe(0);
    const early = setup(slo);
    early.evaluator.tick(START);
    for (let m = 1; m <= 30; m++) {
      early.series.appendInterval(START + m * MINUTE, m <= 2 ? 50 : 100, 100);
      early.evaluator.tick(START + m * MINUTE);
    }
    expect(early.evaluator.status(slo.id, START + 30 * MINUTE).budget.spent).toBe(2);
  });

  it("keeps firing lines and slice counts when an SLO is registered again unchanged", () => {
    const slo = makeSlo({ budgeting: { method: "timeslices", sliceMs: MINUTE, sliceTarget: 0.99 } });
    const { evaluator, series } = setup(slo);
    steady(series, START - HOUR, START, 10_000, 100, 100);
    evaluator.tick(START);
    for (let t = START + TICK; t <= START + 5 * MINUTE; t += TICK) {
      steady(series, t - TICK, t, 10_000, 0, 100);
      evaluator.tick(t);
    }
    const firing = evaluator.firing(slo.id);
    const spent = evaluator.status(slo.id, START + 5 * MINUTE).budget.spent;
    expect(firing).toContain("page-fast");
    expect(spent).toBeGreaterThan(0);
    evaluator.register({ ...slo, description: "edited" });
    expect(evaluator.firing(slo.id)).toEqual(firing);
    expect(evaluator.status(slo.id, START + 5 * MINUTE).budget.spent).toBe(spent);
    steady(series, START + 5 * MINUTE, START + 5 * MINUTE + TICK, 10_000, 0, 100);
    expect(evaluator.tick(START + 5 * MINUTE + TICK).filter((e) => e.line === "page-fast")).toEqual([]);
  });

  it("starts a calendar month's budget afresh at local midnight on the first", () => {
    const slo = makeSlo({ window: { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" } });
    const { evaluator, series } = setup(slo);
    const marchStart = Date.parse("2024-02-29T23:00:00Z");
    steady(series, marchStart - 2 * DAY, marchStart, 60_000, 90, 100);
    steady(series, marchStart, marchStart + DAY, 60_000, 100, 100);
    const status = evaluator.status(slo.id, marchStart + DAY);
    expect(status.window.fromMs).toBe(marchStart);
    expect(status.window.lengthMs).toBe(31 * DAY - HOUR);
    expect(status.budget.spent).toBe(0);
    expect(status.budget.remainingShare).toBe(1);
    // An hour before March, February's window holds the 47 hours of 10% errors written so far.
    const february = evaluator.status(slo.id, marchStart - HOUR);
    expect(february.window.fromMs).toBe(Date.parse("2024-01-31T23:00:00Z"));
    expect(february.budget.spent).toBe(47 * 60 * 10);
  });

  it("keeps exact budget arithmetic over long random streams", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gapSteps: fc.integer({ min: 1, max: 400 }), good: fc.nat(5_000), bad: fc.nat(40) }),
          {
            minLength: 1,
            maxLength: 400,
          },
        ),
        fc.integer({ min: 0, max: 60 * 24 }),
        (samples, tailHours) => {
          const { evaluator, series, slo } = setup();
          let ts = START;
          const written: { ts: number; good: number; total: number }[] = [];
          for (const s of samples) {
            ts += s.gapSteps * 10 * MINUTE;
            series.appendInterval(ts, s.good, s.good + s.bad);
            written.push({ ts, good: s.good, total: s.good + s.bad });
          }
          const now = Math.ceil(ts / HOUR) * HOUR + tailHours * HOUR;
          const status = evaluator.status(slo.id, now);
          const inWindow = written.filter((w) => w.ts > now - 30 * DAY && w.ts <= now);
          const good = inWindow.reduce((n, w) => n + w.good, 0);
          const total = inWindow.reduce((n, w) => n + w.total, 0);
          expect({ good: status.good, total: status.total }).toEqual({ good, total });
          expect(status.budget.spent).toBe(total - good);
          expect(status.budget.allowed).toBe((1 - slo.objective) * total);
          expect(nonFinite(status).filter((p) => !p.includes("exhaustedInMs"))).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("pure evaluate", () => {
  it("emits the same transitions as the Evaluator tick by tick", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ badShare: fc.constantFrom(0, 0, 0.02, 0.5, 1), total: fc.constantFrom(0, 5, 100) }),
          {
            minLength: 10,
            maxLength: 120,
          },
        ),
        (minutes) => {
          const { evaluator, series, slo } = setup(
            makeSlo({
              alerting: { name: "default", lines: workbookLines(20), missingDataAfterMs: 5 * MINUTE },
            }),
          );
          let previous = new Set<string>();
          minutes.forEach((m, i) => {
            const t = START + (i + 1) * MINUTE;
            if (m.total > 0) series.appendInterval(t, Math.round(m.total * (1 - m.badShare)), m.total);
            const pure = evaluate(
              slo,
              {
                sum: (f, to) => series.sum(f, to),
                headTs: series.headTs,
                lastTrafficTs: series.lastTrafficTs,
              },
              t,
              previous,
            );
            const live = evaluator.tick(t);
            expect(live).toEqual(pure.events);
            previous = new Set(evaluator.firing(slo.id));
            const firingLines = pure.lines.filter((l) => l.state === "firing").map((l) => l.name);
            if (pure.missingData) firingLines.push("missing-data");
            expect([...previous].sort()).toEqual(firingLines.sort());
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
