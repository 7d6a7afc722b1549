import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assignRole,
  buildTimeline,
  mergeTimelines,
  recordIntervention,
  type TimelineEvent,
  transitionIncident,
} from "../../src/incidents/index.js";
import { MIN, newIncident, T0 } from "./fixtures.js";

describe("timeline", () => {
  it("merges alerts, acknowledgements, rollouts, roles and notes in time order", () => {
    let inc = newIncident({ detection: { source: "page", at: T0, ref: "page-7" } });
    inc = assignRole(inc, "commander", "alice", { at: T0 + 2 * MIN, by: "alice" });
    inc = recordIntervention(inc, { kind: "rollback", at: T0 + 6 * MIN, by: "bob", note: "back to v41" });
    inc = transitionIncident(inc, "mitigated", { at: T0 + 8 * MIN, by: "alice" });
    const timeline = buildTimeline({
      incident: inc,
      rollouts: [{ id: "r1", at: T0 - 10 * MIN, service: "checkout", version: "v42", action: "completed" }],
      alerts: [
        { alertId: "a1", at: T0 - MIN, from: "pending", to: "firing", sloId: "checkout-availability" },
      ],
      acknowledgements: [{ alertId: "a1", at: T0 + MIN, by: "alice" }],
      notes: [{ at: T0 + 4 * MIN, by: "carol", text: "error logs point at the new config" }],
      signals: [{ id: "s1", at: T0 - 12 * MIN, text: "config push checkout v42" }],
    });
    expect(timeline.map((e) => e.kind)).toEqual([
      "signal",
      "rollout",
      "alert",
      "detection",
      "status",
      "acknowledgement",
      "role",
      "note",
      "rollback",
      "status",
    ]);
    const ats = timeline.map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(timeline.find((e) => e.kind === "rollback")?.actor).toBe("bob");
  });

  it("keeps input order for events at the same millisecond", () => {
    const a: TimelineEvent[] = [
      { at: 5, kind: "note", text: "a1" },
      { at: 5, kind: "note", text: "a2" },
    ];
    const b: TimelineEvent[] = [
      { at: 1, kind: "note", text: "b1" },
      { at: 5, kind: "note", text: "b2" },
    ];
    expect(mergeTimelines(a, b).map((e) => e.text)).toEqual(["b1", "a1", "a2", "b2"]);
  });

  it("drops a second event with the same source ref", () => {
    const alert: TimelineEvent = { at: 1, kind: "alert", text: "fired", ref: "alert:a1:1:firing" };
    expect(mergeTimelines([alert], [alert])).toHaveLength(1);
  });

  it("rejects events whose time is not integer UTC ms", () => {
    expect(() => mergeTimelines([{ at: 1.5, kind: "note", text: "x" }])).toThrow(
      expect.objectContaining({ code: "NINES_ERR_INCIDENT_TIME_INVALID" }),
    );
  });

  it("is ordered, keeps every event, and is stable for ties (property)", () => {
    const event = fc.record({ at: fc.integer({ min: 0, max: 20 }), text: fc.string() });
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 10 }), { maxLength: 4 }), (lists) => {
        const tagged = lists.map((list, li) =>
          list.map((e, i) => ({ at: e.at, kind: "note" as const, text: `${li}:${i}` })),
        );
        const merged = mergeTimelines(...tagged);
        expect(merged).toHaveLength(tagged.flat().length);
        for (let i = 1; i < merged.length; i++) {
          const prev = merged[i - 1] as TimelineEvent;
          const cur = merged[i] as TimelineEvent;
          expect(prev.at <= cur.at).toBe(true);
          if (prev.at === cur.at) {
            const [pl, pi] = prev.text.split(":").map(Number) as [number, number];
            const [cl, ci] = cur.text.split(":").map(Number) as [number, number];
            expect(pl < cl || (pl === cl && pi < ci)).toBe(true);
          }
        }
      }),
    );
  });
});
