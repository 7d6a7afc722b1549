import { describe, expect, it } from "vitest";
import {
  type Layer,
  nextOnCall,
  pagesPerShift,
  shifts,
  takeOver,
  whoIsOnCall,
  withOverride,
} from "../../src/oncall/index.js";
import { at, HOUR, rotation, schedule } from "./fixtures.js";

const weekly: Layer = { id: "base", name: "Weekly", rotation: rotation() };
const s = schedule([weekly]);

describe("take-over and next on-call", () => {
  it("overrides from now to the end of the current shift", () => {
    const now = at("2026-03-25T10:00:00Z");
    const o = takeOver(s, "zoe", now, "ben is sick");
    expect(o).toMatchObject({
      personId: "zoe",
      start: now,
      end: at("2026-03-30T07:00:00Z"),
      reason: "ben is sick",
    });
    const after = withOverride(s, o);
    expect(whoIsOnCall(after, now).personId).toBe("zoe");
    expect(whoIsOnCall(after, at("2026-03-30T07:00:00Z")).personId).toBe("chen");
  });

  it("refuses a take-over by the person already on call", () => {
    expect(() => takeOver(s, "ben", at("2026-03-25T10:00:00Z"))).toThrow(
      expect.objectContaining({ code: "NINES_ERR_ONCALL_ALREADY_ON_CALL" }),
    );
  });

  it("names the next person on call and when they start", () => {
    expect(nextOnCall(s, at("2026-03-25T10:00:00Z"))).toMatchObject({
      personId: "chen",
      start: at("2026-03-30T07:00:00Z"),
    });
  });
});

describe("pages per shift", () => {
  it("counts pages into the shift they fall in and flags more than two per 12 hours", () => {
    const timeline = [
      { start: 0, end: 12 * HOUR, personId: "ana" },
      { start: 12 * HOUR, end: 24 * HOUR, personId: "ben" },
    ];
    const load = pagesPerShift(timeline, [
      { at: 1 },
      { at: 2 * HOUR },
      { at: 12 * HOUR - 1 },
      { at: 12 * HOUR },
      { at: 30 * HOUR },
    ]);
    expect(load.map((l) => [l.personId, l.pages, l.overloaded])).toEqual([
      ["ana", 3, true],
      ["ben", 1, false],
    ]);
  });

  it("counts every page of a real timeline exactly once", () => {
    const timeline = shifts(s, at("2026-03-16T00:00:00Z"), at("2026-04-13T00:00:00Z"));
    const pages = Array.from({ length: 50 }, (_, i) => ({ at: at("2026-03-16T00:00:00Z") + i * 13 * HOUR }));
    const total = pagesPerShift(timeline, pages).reduce((n, l) => n + l.pages, 0);
    expect(total).toBe(pages.length);
  });
});
