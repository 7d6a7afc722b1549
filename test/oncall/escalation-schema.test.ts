import { describe, expect, it } from "vitest";
import { escalationPolicyErrors, parseEscalationPolicy } from "../../src/oncall/index.js";

describe("escalation policy validation", () => {
  it("accepts a well-formed policy", () => {
    const policy = {
      id: "db",
      name: "Database",
      steps: [
        { kind: "notify-schedule", scheduleId: "primary", layerId: "day" },
        { kind: "wait", minutes: 5 },
        { kind: "notify-person", personId: "lead" },
      ],
      repeat: 2,
    };
    expect(parseEscalationPolicy(policy)).toBe(policy);
  });

  it("names the field of each bad step by its kind", () => {
    const errors = escalationPolicyErrors({
      id: "db",
      name: "Database",
      steps: [
        { kind: "wait", minutes: -1 },
        { kind: "notify-person" },
        { kind: "call-mom" },
        { kind: "wait", minutes: 1, extra: true },
      ],
      repeat: 0,
    });
    expect(errors.map((e) => e.path)).toEqual([
      "steps[2].kind",
      "steps[0].minutes",
      "steps[1].personId",
      "steps[3].extra",
    ]);
  });

  it("names semantic problems once the shape is right", () => {
    const errors = escalationPolicyErrors({
      id: "db",
      name: "D",
      steps: [{ kind: "wait", minutes: 5 }],
      repeat: 1,
    });
    expect(errors.map((e) => e.path)).toEqual(["steps"]);
    expect(() =>
      parseEscalationPolicy({
        id: "db",
        name: "D",
        steps: [{ kind: "notify-person", personId: "a" }],
        repeat: 3,
      }),
    ).toThrow(expect.objectContaining({ code: "NINES_ERR_ONCALL_ESCALATION_INVALID" }));
  });
});
