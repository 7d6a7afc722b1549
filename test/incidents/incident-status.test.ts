import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assignRole,
  canTransitionIncident,
  currentRoles,
  type IncidentStatus,
  recordIntervention,
  transitionIncident,
  unassignRole,
} from "../../src/incidents/index.js";
import { MIN, newIncident, T0 } from "./fixtures.js";

const STATUSES: IncidentStatus[] = ["investigating", "identified", "mitigated", "resolved"];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("incident status", () => {
  it("walks investigating → identified → mitigated → resolved and records each step", () => {
    let inc = newIncident();
    inc = transitionIncident(inc, "identified", { at: T0 + 5 * MIN, by: "alice", note: "bad config" });
    inc = transitionIncident(inc, "mitigated", { at: T0 + 10 * MIN, by: "bob" });
    inc = transitionIncident(inc, "resolved", { at: T0 + 30 * MIN, by: "alice" });
    expect(inc.status).toBe("resolved");
    expect(inc.mitigatedAt).toBe(T0 + 10 * MIN);
    expect(inc.resolvedAt).toBe(T0 + 30 * MIN);
    expect(inc.statusHistory.map((s) => s.to)).toEqual([
      "investigating",
      "identified",
      "mitigated",
      "resolved",
    ]);
    expect(inc.statusHistory[1]?.note).toBe("bad config");
  });

  it("allows a rollback to mitigate before the cause is identified", () => {
    const inc = transitionIncident(newIncident(), "mitigated", { at: T0 + MIN, by: "alice" });
    expect(inc.status).toBe("mitigated");
  });

  it("refuses to go from mitigated back to identified with a coded error listing the allowed moves", () => {
    const inc = transitionIncident(newIncident(), "mitigated", { at: T0 + MIN, by: "alice" });
    try {
      transitionIncident(inc, "identified", { at: T0 + 2 * MIN, by: "alice" });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: "NINES_ERR_INCIDENT_TRANSITION_ILLEGAL",
        statusCode: 409,
        details: { from: "mitigated", to: "identified", allowed: ["investigating", "resolved"] },
      });
    }
  });

  it("refuses a move to the same status", () => {
    expect(codeOf(() => transitionIncident(newIncident(), "investigating", { at: T0, by: "a" }))).toBe(
      "NINES_ERR_INCIDENT_TRANSITION_ILLEGAL",
    );
  });

  it("reopens a resolved incident and clears its resolution time", () => {
    let inc = transitionIncident(newIncident(), "resolved", { at: T0 + MIN, by: "a" });
    inc = transitionIncident(inc, "investigating", { at: T0 + 2 * MIN, by: "a", note: "errors are back" });
    expect(inc.status).toBe("investigating");
    expect(inc.resolvedAt).toBeUndefined();
    expect(inc.mitigatedAt).toBeUndefined();
  });

  it("rejects a change dated before the last one and a non-integer time", () => {
    const inc = transitionIncident(newIncident(), "identified", { at: T0 + 10 * MIN, by: "a" });
    expect(codeOf(() => transitionIncident(inc, "mitigated", { at: T0 + 5 * MIN, by: "a" }))).toBe(
      "NINES_ERR_INCIDENT_TIME_INVALID",
    );
    expect(codeOf(() => transitionIncident(inc, "mitigated", { at: T0 + 10.5 * MIN + 0.5, by: "a" }))).toBe(
      "NINES_ERR_INCIDENT_TIME_INVALID",
    );
  });

  it("only ever reaches statuses the transition table allows (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATUSES), { maxLength: 20 }), (moves) => {
        let inc = newIncident();
        let at = T0;
        for (const to of moves) {
          at += MIN;
          const legal = canTransitionIncident(inc.status, to);
          const code = codeOf(() => {
            inc = transitionIncident(inc, to, { at, by: "a" });
          });
          expect(code === undefined).toBe(legal);
        }
        expect(inc.statusHistory.length).toBe(1 + moves.length - countRejected(moves));
        expect(inc.status === "resolved").toBe(inc.resolvedAt !== undefined);
      }),
    );
  });
});

function countRejected(moves: IncidentStatus[]): number {
  let status: IncidentStatus = "investigating";
  let rejected = 0;
  for (const to of moves) {
    if (canTransitionIncident(status, to)) status = to;
    else rejected++;
  }
  return rejected;
}

describe("incident roles", () => {
  it("hands the commander role off and keeps both assignments in the history", () => {
    let inc = assignRole(newIncident(), "commander", "alice", { at: T0 + MIN, by: "alice" });
    inc = assignRole(inc, "scribe", "alice", { at: T0 + MIN, by: "alice" });
    inc = assignRole(inc, "commander", "bob", { at: T0 + 60 * MIN, by: "alice" });
    expect(currentRoles(inc)).toEqual({ commander: "bob", scribe: "alice" });
    const commanders = inc.roles.filter((r) => r.role === "commander");
    expect(commanders).toEqual([
      {
        role: "commander",
        person: "alice",
        assignedAt: T0 + MIN,
        assignedBy: "alice",
        unassignedAt: T0 + 60 * MIN,
        unassignedBy: "alice",
      },
      { role: "commander", person: "bob", assignedAt: T0 + 60 * MIN, assignedBy: "alice" },
    ]);
  });

  it("unassigns a role and rejects unassigning a role nobody holds", () => {
    let inc = assignRole(newIncident(), "communications", "carol", { at: T0 + MIN, by: "alice" });
    inc = unassignRole(inc, "communications", { at: T0 + 2 * MIN, by: "alice" });
    expect(currentRoles(inc).communications).toBeUndefined();
    expect(codeOf(() => unassignRole(inc, "communications", { at: T0 + 3 * MIN, by: "alice" }))).toBe(
      "NINES_ERR_INCIDENT_ROLE_NOT_ASSIGNED",
    );
  });

  it("rejects giving someone a role they already hold", () => {
    const inc = assignRole(newIncident(), "operations", "dave", { at: T0 + MIN, by: "alice" });
    expect(codeOf(() => assignRole(inc, "operations", "dave", { at: T0 + 2 * MIN, by: "alice" }))).toBe(
      "NINES_ERR_INCIDENT_ROLE_ALREADY_ASSIGNED",
    );
  });

  it("refuses role changes on a resolved incident", () => {
    const inc = transitionIncident(newIncident(), "resolved", { at: T0 + MIN, by: "a" });
    expect(codeOf(() => assignRole(inc, "scribe", "erin", { at: T0 + 2 * MIN, by: "a" }))).toBe(
      "NINES_ERR_INCIDENT_CLOSED",
    );
  });

  it("records interventions with their time", () => {
    const inc = recordIntervention(newIncident(), { kind: "rollback", at: T0 + MIN, by: "bob" });
    expect(inc.interventions).toEqual([{ kind: "rollback", at: T0 + MIN, by: "bob" }]);
    expect(codeOf(() => recordIntervention(inc, { kind: "manual", at: -1 }))).toBe(
      "NINES_ERR_INCIDENT_TIME_INVALID",
    );
  });
});
