import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildTimeline,
  draftPostmortemFromIncident,
  formatDurationText,
  parseDurationText,
  recordBudgetConsumed,
  transitionIncident,
  updateCustomerImpact,
} from "../../src/incidents/index.js";
import { HOUR, MIN, newIncident, T0 } from "./fixtures.js";

describe("postmortem draft from an incident", () => {
  it("starts from the incident's facts: title, services, causes, impact, detection and timeline", () => {
    let inc = newIncident({
      causeTags: ["bad-config-push"],
      detection: { source: "person", at: T0, ref: "carol" },
    });
    inc = updateCustomerImpact(inc, {
      userVisible: true,
      userVisibleDurationMs: 23 * MIN,
      usersAffected: 4100,
      description: "Orders failed",
    });
    inc = recordBudgetConsumed(inc, [
      { sloId: "a", fraction: 0.31 },
      { sloId: "b", fraction: 0.05 },
    ]);
    inc = transitionIncident(inc, "resolved", { at: T0 + HOUR, by: "alice" });
    const pm = draftPostmortemFromIncident(inc, buildTimeline({ incident: inc }), {
      id: "pm-1",
      authors: ["alice"],
      at: T0 + 2 * HOUR,
    });
    expect(pm).toMatchObject({
      id: "pm-1",
      incidentId: "inc-1",
      title: "Checkout returns 5xx",
      status: "draft",
      services: ["checkout"],
      causeTags: ["bad-config-push"],
      impact: {
        users: "4100 users",
        durationMs: 23 * MIN,
        budgetConsumed: 0.31,
        description: "Orders failed",
      },
      detection: "Detected by person (carol) at 2026-11-25T14:00:00.000Z.",
    });
    expect(pm.timeline.map((e) => e.text)).toEqual([
      "Detected by person (carol)",
      "Incident declared (SEV3) (alice)",
      "Status investigating → resolved (alice)",
    ]);
  });
});

describe("duration text", () => {
  it("writes 23 min as 23m and 1 day 1 ms as 1d 1ms", () => {
    expect(formatDurationText(23 * MIN)).toBe("23m");
    expect(formatDurationText(86_400_001)).toBe("1d 1ms");
    expect(formatDurationText(0)).toBe("0ms");
  });

  it("parses hand-written durations and rejects prose", () => {
    expect(parseDurationText("1h 30m")).toBe(90 * MIN);
    expect(parseDurationText("90m")).toBe(90 * MIN);
    expect(parseDurationText("about an hour")).toBeUndefined();
  });

  it("parses back exactly what it formats (property)", () => {
    fc.assert(
      fc.property(fc.nat(), (ms) => {
        expect(parseDurationText(formatDurationText(ms))).toBe(ms);
      }),
    );
  });
});
