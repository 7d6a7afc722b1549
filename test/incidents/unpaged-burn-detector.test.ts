import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BudgetSample,
  createIncident,
  detectUnpagedBurn,
  evaluatePostmortemRequirement,
  transitionIncident,
} from "../../src/incidents/index.js";
import { DAY, HOUR, T0 } from "./fixtures.js";

/** Hourly samples of a constant burn rate on a 30-day window: each hour spends burn/720 of the budget. */
function hourly(sloId: string, burnRate: number, hours = 24, end = T0): BudgetSample[] {
  return Array.from({ length: hours }, (_, i) => ({ sloId, at: end - i * HOUR, consumed: burnRate / 720 }));
}

describe("found without paging", () => {
  it("proposes an incident for burn rate 2 over 24 h on a 30-day SLO (6.7% of the budget) with no page", () => {
    const [proposal, ...rest] = detectUnpagedBurn({
      now: T0,
      samples: hourly("checkout-availability", 2),
      pages: [],
      sloServices: { "checkout-availability": "checkout" },
    });
    expect(rest).toEqual([]);
    expect(proposal?.sloId).toBe("checkout-availability");
    expect(proposal?.service).toBe("checkout");
    expect(proposal?.consumed).toBeCloseTo((2 * 24) / 720, 10);
    expect(proposal?.detection.source).toBe("budget-burn");
    expect(proposal?.reason).toContain("6.7%");
    expect(proposal?.reason).toContain("nothing paged");
  });

  it("stays quiet at burn rate 1 (3.3% in 24 h, the budget's planned pace)", () => {
    expect(detectUnpagedBurn({ now: T0, samples: hourly("s", 1), pages: [] })).toEqual([]);
  });

  it("needs strictly more than the threshold", () => {
    const samples = [{ sloId: "s", at: T0 - HOUR, consumed: 0.05 }];
    expect(detectUnpagedBurn({ now: T0, samples, pages: [] })).toEqual([]);
    expect(detectUnpagedBurn({ now: T0, samples, pages: [], threshold: 0.04 })).toHaveLength(1);
  });

  it("ignores spending older than 24 h", () => {
    const old = hourly("s", 4, 24, T0 - DAY);
    expect(detectUnpagedBurn({ now: T0, samples: old, pages: [] })).toEqual([]);
  });

  it("is silenced by a page for the SLO or for its service within the window, not by an older page", () => {
    const base = { now: T0, samples: hourly("s", 3), sloServices: { s: "search" } };
    expect(detectUnpagedBurn({ ...base, pages: [{ at: T0 - HOUR, sloId: "s" }] })).toEqual([]);
    expect(detectUnpagedBurn({ ...base, pages: [{ at: T0 - HOUR, service: "search" }] })).toEqual([]);
    expect(detectUnpagedBurn({ ...base, pages: [{ at: T0 - 2 * DAY, sloId: "s" }] })).toHaveLength(1);
    expect(detectUnpagedBurn({ ...base, pages: [{ at: T0 - HOUR, service: "checkout" }] })).toHaveLength(1);
  });

  it("skips SLOs an open incident already covers and orders proposals by spend", () => {
    const samples = [...hourly("a", 2), ...hourly("b", 5), ...hourly("c", 3)];
    const ids = detectUnpagedBurn({ now: T0, samples, pages: [], coveredSloIds: ["c"] }).map((p) => p.sloId);
    expect(ids).toEqual(["b", "a"]);
  });

  it("rejects a threshold outside (0, 1] and a non-positive window", () => {
    expect(() => detectUnpagedBurn({ now: T0, samples: [], pages: [], threshold: 0 })).toThrow(
      expect.objectContaining({ code: "NINES_ERR_INCIDENT_CONFIG_INVALID" }),
    );
    expect(() => detectUnpagedBurn({ now: T0, samples: [], pages: [], windowMs: -1 })).toThrow(
      expect.objectContaining({ code: "NINES_ERR_INCIDENT_CONFIG_INVALID" }),
    );
  });

  it("turns a proposal into an incident whose postmortem is required for a monitoring failure", () => {
    const [proposal] = detectUnpagedBurn({ now: T0, samples: hourly("s", 2), pages: [] });
    if (proposal === undefined) throw new Error("expected a proposal");
    let inc = createIncident({
      id: "inc-9",
      title: "Slow burn on s",
      severity: "SEV4",
      openedAt: T0,
      openedBy: "nines",
      detection: proposal.detection,
      services: ["search"],
      slos: [proposal.sloId],
    });
    inc = transitionIncident(inc, "resolved", { at: T0 + HOUR / 2, by: "alice" });
    const req = evaluatePostmortemRequirement(inc);
    expect(req.required).toBe(true);
    expect(req.triggers.map((t) => t.ruleId)).toEqual(["monitoring-failure"]);
  });

  it("only proposes SLOs above the threshold and never one that was paged (property)", () => {
    const sample = fc.record({
      sloId: fc.constantFrom("a", "b", "c"),
      at: fc.integer({ min: T0 - 2 * DAY, max: T0 }),
      consumed: fc.double({ min: 0, max: 0.05, noNaN: true }),
    });
    const page = fc.record({
      sloId: fc.constantFrom("a", "b", "c"),
      at: fc.integer({ min: T0 - 2 * DAY, max: T0 }),
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 40 }), fc.array(page, { maxLength: 3 }), (samples, pages) => {
        for (const p of detectUnpagedBurn({ now: T0, samples, pages })) {
          const spent = samples
            .filter((s) => s.sloId === p.sloId && s.at > T0 - DAY && s.at <= T0)
            .reduce((sum, s) => sum + s.consumed, 0);
          expect(spent).toBeGreaterThan(0.05);
          expect(pages.some((pg) => pg.sloId === p.sloId && pg.at > T0 - DAY)).toBe(false);
        }
      }),
    );
  });
});
