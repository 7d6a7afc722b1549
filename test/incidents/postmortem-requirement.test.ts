import { describe, expect, it } from "vitest";
import {
  evaluatePostmortemRequirement,
  type Incident,
  overduePostmortems,
  postmortemPolicy,
  recordBudgetConsumed,
  recordIntervention,
  transitionIncident,
  updateCustomerImpact,
} from "../../src/incidents/index.js";
import { DAY, HOUR, MIN, newIncident, resolvedIncident, T0 } from "./fixtures.js";

function resolveAt(inc: Incident, at: number): Incident {
  return transitionIncident(inc, "resolved", { at, by: "alice" });
}

function rules(inc: Incident): string[] {
  return evaluatePostmortemRequirement(inc).triggers.map((t) => t.ruleId);
}

describe("postmortem requirement rules", () => {
  it("does not require a postmortem for a paged SEV3 fixed in 30 min without user impact", () => {
    const req = evaluatePostmortemRequirement(resolvedIncident(30 * MIN));
    expect(req).toEqual({ incidentId: "inc-1", required: false, triggers: [] });
  });

  it("requires one for 10 min of user-visible downtime (threshold 5 min), not for exactly 5 min", () => {
    const ten = updateCustomerImpact(newIncident(), { userVisible: true, userVisibleDurationMs: 10 * MIN });
    expect(rules(resolveAt(ten, T0 + 20 * MIN))).toEqual(["user-visible-impact"]);
    const five = updateCustomerImpact(newIncident(), { userVisible: true, userVisibleDurationMs: 5 * MIN });
    expect(rules(resolveAt(five, T0 + 20 * MIN))).toEqual([]);
  });

  it("requires one for data loss of any kind", () => {
    const inc = updateCustomerImpact(newIncident(), { dataLoss: true });
    const req = evaluatePostmortemRequirement(resolveAt(inc, T0 + MIN));
    expect(req.triggers).toEqual([{ ruleId: "data-loss", reason: "Data was lost" }]);
  });

  it("requires one when on-call rolled back or rerouted traffic", () => {
    let inc = recordIntervention(newIncident(), { kind: "rollback", at: T0 + MIN, by: "bob" });
    inc = recordIntervention(inc, { kind: "traffic-reroute", at: T0 + 2 * MIN, by: "bob" });
    const req = evaluatePostmortemRequirement(resolveAt(inc, T0 + 10 * MIN));
    expect(req.triggers.map((t) => t.ruleId)).toEqual(["on-call-intervention"]);
    expect(req.triggers[0]?.reason).toContain("rollback, traffic-reroute");
  });

  it("requires one when resolution took 61 min (threshold 60), counted from impact start", () => {
    expect(rules(resolvedIncident(61 * MIN))).toEqual(["resolution-time"]);
    expect(rules(resolvedIncident(60 * MIN))).toEqual([]);
    expect(rules(resolvedIncident(40 * MIN, { impactStartedAt: T0 - 30 * MIN }))).toEqual([
      "resolution-time",
    ]);
  });

  it("requires one when a person or the budget-burn detector found it instead of a page", () => {
    expect(rules(resolvedIncident(MIN, { detection: { source: "person", at: T0, ref: "carol" } }))).toEqual([
      "monitoring-failure",
    ]);
    expect(rules(resolvedIncident(MIN, { detection: { source: "budget-burn", at: T0 } }))).toEqual([
      "monitoring-failure",
    ]);
  });

  it("requires one when an incident spends more than 20% of an SLO's four-week budget (Workbook policy)", () => {
    const inc = recordBudgetConsumed(newIncident(), [
      { sloId: "checkout-availability", fraction: 0.25 },
      { sloId: "checkout-latency", fraction: 0.2 },
    ]);
    const req = evaluatePostmortemRequirement(resolveAt(inc, T0 + 10 * MIN));
    expect(req.triggers).toEqual([
      {
        ruleId: "budget-consumed",
        reason: "SLO checkout-availability lost 25% of its error budget, more than 20%",
      },
    ]);
  });

  it("requires one for SEV1 and SEV2 by default, and not when the policy lists no severities", () => {
    const sev1 = resolvedIncident(MIN, { severity: "SEV1" });
    expect(rules(sev1)).toEqual(["severity"]);
    expect(evaluatePostmortemRequirement(sev1, postmortemPolicy({ severities: [] })).required).toBe(false);
  });

  it("lists every rule that fired and sets the due date five days after resolution", () => {
    let inc = newIncident({ severity: "SEV2", detection: { source: "person", at: T0 } });
    inc = updateCustomerImpact(inc, { userVisible: true, userVisibleDurationMs: 90 * MIN, dataLoss: true });
    inc = recordIntervention(inc, { kind: "rollback", at: T0 + 30 * MIN });
    inc = recordBudgetConsumed(inc, [{ sloId: "s", fraction: 0.5 }]);
    const req = evaluatePostmortemRequirement(resolveAt(inc, T0 + 2 * HOUR));
    expect(req.triggers.map((t) => t.ruleId)).toEqual([
      "user-visible-impact",
      "data-loss",
      "on-call-intervention",
      "resolution-time",
      "monitoring-failure",
      "budget-consumed",
      "severity",
    ]);
    expect(req.dueAt).toBe(T0 + 2 * HOUR + 5 * DAY);
  });

  it("lets a policy switch rules off or change thresholds", () => {
    const inc = resolvedIncident(61 * MIN, { detection: { source: "person", at: T0 } });
    const policy = postmortemPolicy({ monitoringFailure: false, resolutionTimeMs: 2 * HOUR });
    expect(evaluatePostmortemRequirement(inc, policy).required).toBe(false);
  });

  it("refuses to evaluate an unresolved incident", () => {
    expect(() => evaluatePostmortemRequirement(newIncident())).toThrow(
      expect.objectContaining({ code: "NINES_ERR_INCIDENT_NOT_RESOLVED" }),
    );
  });

  it("rejects a policy with a budget fraction above 1 or a negative threshold", () => {
    expect(() => postmortemPolicy({ budgetConsumedFraction: 1.5 })).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_POSTMORTEM_POLICY_INVALID",
        details: expect.objectContaining({ field: "budgetConsumedFraction" }),
      }),
    );
    expect(() => postmortemPolicy({ resolutionTimeMs: -1 })).toThrow(
      expect.objectContaining({ code: "NINES_ERR_POSTMORTEM_POLICY_INVALID" }),
    );
  });
});

describe("overdue postmortems", () => {
  it("lists required, unpublished postmortems past their due date, most overdue first", () => {
    const due = (incidentId: string, dueAt: number) => ({
      requirement: {
        incidentId,
        required: true,
        triggers: [{ ruleId: "data-loss" as const, reason: "Data was lost" }],
        dueAt,
      },
    });
    const now = T0 + 10 * DAY;
    const list = overduePostmortems(
      [
        due("late-2d", T0 + 8 * DAY),
        due("late-5d", T0 + 5 * DAY),
        { ...due("published", T0 + 5 * DAY), publishedAt: T0 + 9 * DAY },
        due("not-yet", T0 + 11 * DAY),
        { requirement: { incidentId: "not-required", required: false, triggers: [] } },
      ],
      now,
    );
    expect(list.map((o) => [o.incidentId, o.overdueMs])).toEqual([
      ["late-5d", 5 * DAY],
      ["late-2d", 2 * DAY],
    ]);
  });
});
