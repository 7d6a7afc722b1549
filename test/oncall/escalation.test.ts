import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type EscalationPolicy,
  escalationPlan,
  evaluateEscalation,
  type Layer,
} from "../../src/oncall/index.js";
import { at, rotation, schedule } from "./fixtures.js";

const MIN = 60_000;
const weekly: Layer = { id: "base", name: "Weekly", rotation: rotation() };
const schedules = new Map([["primary", schedule([weekly])]]);
const policy: EscalationPolicy = {
  id: "db",
  name: "Database",
  steps: [
    { kind: "notify-schedule", scheduleId: "primary" },
    { kind: "wait", minutes: 5 },
    { kind: "notify-person", personId: "lead" },
    { kind: "wait", minutes: 10 },
  ],
  repeat: 1,
};
const created = at("2026-03-25T03:00:00Z");

describe("escalation", () => {
  it("notifies the on-call, then the lead after 5 min, and repeats the list once after 15 min", () => {
    const plan = escalationPlan(policy, { id: "p1", createdAt: created }, schedules);
    expect(plan.map((n) => [n.at - created, n.personId, n.step, n.attempt])).toEqual([
      [0, "ben", 0, 0],
      [5 * MIN, "lead", 2, 0],
      [15 * MIN, "ben", 0, 1],
      [20 * MIN, "lead", 2, 1],
    ]);
  });

  it("returns what is due and not yet sent, and when to look again", () => {
    const state = evaluateEscalation(
      policy,
      { id: "p1", createdAt: created },
      schedules,
      created + 6 * MIN,
      new Set(["0:0"]),
    );
    expect(state.status).toBe("escalating");
    expect(state.due.map((n) => n.key)).toEqual(["0:2"]);
    expect(state.nextAt).toBe(created + 15 * MIN);
  });

  it("stops at the acknowledgement", () => {
    const page = { id: "p1", createdAt: created, ackedAt: created + 3 * MIN };
    const state = evaluateEscalation(policy, page, schedules, created + 60 * MIN);
    expect(state.status).toBe("acknowledged");
    expect(state.due.map((n) => n.key)).toEqual(["0:0"]);
    expect(state.nextAt).toBeNull();
  });

  it("is exhausted once every repeat has been sent", () => {
    const state = evaluateEscalation(policy, { id: "p1", createdAt: created }, schedules, created + 30 * MIN);
    expect(state.status).toBe("exhausted");
    expect(state.due).toHaveLength(4);
  });

  it("notifies the schedule's current on-call at each attempt (the handoff happens in between)", () => {
    const beforeHandoff = at("2026-03-30T06:50:00Z");
    const plan = escalationPlan(policy, { id: "p2", createdAt: beforeHandoff }, schedules);
    expect(plan.filter((n) => n.step === 0).map((n) => n.personId)).toEqual(["ben", "chen"]);
  });

  it("reports a schedule step that finds nobody as a notification to null", () => {
    const plan = escalationPlan(policy, { id: "p3", createdAt: at("2026-01-01T00:00:00Z") }, schedules);
    expect(plan[0]?.personId).toBeNull();
  });

  it("rejects a repeating policy with no wait, naming the field", () => {
    const bad: EscalationPolicy = {
      id: "x",
      name: "x",
      steps: [{ kind: "notify-person", personId: "a" }],
      repeat: 2,
    };
    expect(() => escalationPlan(bad, { id: "p", createdAt: 0 }, schedules)).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_ONCALL_ESCALATION_INVALID",
        details: [expect.objectContaining({ path: "repeat" })],
      }),
    );
  });

  it("never notifies at or after the acknowledgement or resolution", () => {
    const stepArb = fc.oneof(
      fc.record({ kind: fc.constant("notify-person" as const), personId: fc.constantFrom("a", "b") }),
      fc.record({ kind: fc.constant("notify-schedule" as const), scheduleId: fc.constant("primary") }),
      fc.record({ kind: fc.constant("wait" as const), minutes: fc.integer({ min: 1, max: 30 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.integer({ min: 0, max: 200 })),
        fc.option(fc.integer({ min: 0, max: 200 })),
        fc.integer({ min: 0, max: 300 }),
        (steps, repeat, ack, resolve, nowMin) => {
          const p: EscalationPolicy = {
            id: "p",
            name: "p",
            steps: [{ kind: "notify-person", personId: "a" }, { kind: "wait", minutes: 1 }, ...steps],
            repeat,
          };
          const page = {
            id: "x",
            createdAt: created,
            ...(ack === null ? {} : { ackedAt: created + ack * MIN }),
            ...(resolve === null ? {} : { resolvedAt: created + resolve * MIN }),
          };
          const state = evaluateEscalation(p, page, schedules, created + nowMin * MIN);
          const stop = Math.min(
            page.ackedAt ?? Number.POSITIVE_INFINITY,
            page.resolvedAt ?? Number.POSITIVE_INFINITY,
          );
          for (const n of state.due) expect(n.at).toBeLessThan(stop);
          if (state.nextAt !== null) expect(state.nextAt).toBeLessThan(stop);
          for (const n of state.due) expect(n.at).toBeLessThanOrEqual(created + nowMin * MIN);
        },
      ),
    );
  });

  it("sends every planned notification before the acknowledgement exactly once across evaluations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 10 }),
        fc.option(fc.integer({ min: 0, max: 60 })),
        (ticks, ack) => {
          const page = {
            id: "x",
            createdAt: created,
            ...(ack === null ? {} : { ackedAt: created + ack * MIN }),
          };
          const sent = new Set<string>();
          let now = created;
          for (const dt of [...ticks, 1_000]) {
            now += dt * MIN;
            for (const n of evaluateEscalation(policy, page, schedules, now, sent).due) {
              expect(sent.has(n.key)).toBe(false);
              sent.add(n.key);
            }
          }
          const expected = escalationPlan(policy, page, schedules)
            .filter((n) => n.at < (page.ackedAt ?? Number.POSITIVE_INFINITY))
            .map((n) => n.key);
          expect([...sent].sort()).toEqual(expected.sort());
        },
      ),
    );
  });
});
