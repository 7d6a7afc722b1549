import { describe, expect, it } from "vitest";
import { handoffAt, rotationPersonAt, rotationTurns } from "../../src/oncall/index.js";
import { at, DAY, HOUR, rotation } from "./fixtures.js";

describe("rotation", () => {
  it("hands off Monday 09:00 Berlin at 08:00Z before and 07:00Z after the March DST change", () => {
    const weekly = rotation();
    expect(handoffAt(weekly, 1)).toBe(at("2026-03-23T08:00:00Z"));
    expect(handoffAt(weekly, 2)).toBe(at("2026-03-30T07:00:00Z"));
  });

  it("makes the turn spanning the March DST change one hour shorter than a week", () => {
    const turns = rotationTurns(rotation(), at("2026-03-23T08:00:00Z"), at("2026-04-06T07:00:00Z"));
    expect(turns.map((t) => t.personId)).toEqual(["ben", "chen"]);
    expect((turns[0]?.end ?? 0) - (turns[0]?.start ?? 0)).toBe(7 * DAY - HOUR);
    expect((turns[1]?.end ?? 0) - (turns[1]?.start ?? 0)).toBe(7 * DAY);
  });

  it("moves the handoff back to 08:00Z after the October DST change", () => {
    const weekly = rotation({ startDate: "2026-10-19" });
    expect(handoffAt(weekly, 0)).toBe(at("2026-10-19T07:00:00Z"));
    expect(handoffAt(weekly, 1)).toBe(at("2026-10-26T08:00:00Z"));
  });

  it("cycles participants in order and has nobody before the start date", () => {
    const weekly = rotation();
    expect(rotationPersonAt(weekly, at("2026-03-16T07:59:59Z"))).toBeNull();
    expect(rotationPersonAt(weekly, at("2026-03-16T08:00:00Z"))).toBe("ana");
    expect(rotationPersonAt(weekly, at("2026-03-30T06:59:59Z"))).toBe("ben");
    expect(rotationPersonAt(weekly, at("2026-03-30T07:00:00Z"))).toBe("chen");
    expect(rotationPersonAt(weekly, at("2026-04-06T07:00:00Z"))).toBe("ana");
  });

  it("counts custom-hour turns in elapsed time, so a 12-hour turn drifts off the wall clock across DST", () => {
    const twelve = rotation({
      length: { unit: "hours", count: 12 },
      startDate: "2026-03-28",
      handoffTime: "08:00",
    });
    // 08:00 CET Saturday = 07:00Z; four 12 h turns later is 07:00Z Monday = 09:00 CEST.
    expect(handoffAt(twelve, 0)).toBe(at("2026-03-28T07:00:00Z"));
    expect(handoffAt(twelve, 4)).toBe(at("2026-03-30T07:00:00Z"));
  });

  it("hands off daily at local 09:00 in New York across its March DST change", () => {
    const daily = rotation({
      length: { unit: "days", count: 1 },
      timeZone: "America/New_York",
      startDate: "2026-03-07",
    });
    expect(handoffAt(daily, 0)).toBe(at("2026-03-07T14:00:00Z"));
    expect(handoffAt(daily, 2)).toBe(at("2026-03-09T13:00:00Z"));
  });
});
