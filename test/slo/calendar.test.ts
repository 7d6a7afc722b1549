import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calendarPeriod, timeZoneOffsetMs } from "../../src/slo/calendar.js";
import type { CalendarWindow } from "../../src/slo/model.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cal = (unit: CalendarWindow["unit"], timeZone: string): CalendarWindow => ({
  kind: "calendar",
  unit,
  timeZone,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe("calendarPeriod", () => {
  it("starts March 2024 in Berlin at local midnight (CET) and ends at local midnight after the DST jump (CEST)", () => {
    const p = calendarPeriod(cal("month", "Europe/Berlin"), Date.parse("2024-03-15T12:00:00Z"));
    expect(iso(p.startMs)).toBe("2024-02-29T23:00:00.000Z");
    expect(iso(p.endMs)).toBe("2024-03-31T22:00:00.000Z");
    expect(p.endMs - p.startMs).toBe(31 * DAY - HOUR);
  });

  it("gives October 2024 in Berlin one extra hour for the DST fall-back", () => {
    const p = calendarPeriod(cal("month", "Europe/Berlin"), Date.parse("2024-10-27T01:30:00Z"));
    expect(iso(p.startMs)).toBe("2024-09-30T22:00:00.000Z");
    expect(p.endMs - p.startMs).toBe(31 * DAY + HOUR);
  });

  it("places a UTC instant that is already the next local month in that month", () => {
    // 23:30 UTC on 29 Feb 2024 is 00:30 on 1 March in Berlin.
    const p = calendarPeriod(cal("month", "Europe/Berlin"), Date.parse("2024-02-29T23:30:00Z"));
    expect(iso(p.startMs)).toBe("2024-02-29T23:00:00.000Z");
  });

  it("counts 29 days in February of a leap year and 28 otherwise", () => {
    const leap = calendarPeriod(cal("month", "UTC"), Date.parse("2024-02-10T00:00:00Z"));
    const common = calendarPeriod(cal("month", "UTC"), Date.parse("2023-02-10T00:00:00Z"));
    expect(leap.endMs - leap.startMs).toBe(29 * DAY);
    expect(common.endMs - common.startMs).toBe(28 * DAY);
    const century = calendarPeriod(cal("month", "UTC"), Date.parse("2100-02-10T00:00:00Z"));
    expect(century.endMs - century.startMs).toBe(28 * DAY);
  });

  it("starts ISO weeks on Monday in New York and stretches the week of the November DST change by an hour", () => {
    const p = calendarPeriod(cal("week", "America/New_York"), Date.parse("2024-11-03T12:00:00Z"));
    expect(iso(p.startMs)).toBe("2024-10-28T04:00:00.000Z");
    expect(iso(p.endMs)).toBe("2024-11-04T05:00:00.000Z");
    expect(p.endMs - p.startMs).toBe(7 * DAY + HOUR);
  });

  it("shortens the New York week of the March DST change by an hour", () => {
    const p = calendarPeriod(cal("week", "America/New_York"), Date.parse("2024-03-13T12:00:00Z"));
    expect(iso(p.startMs)).toBe("2024-03-11T04:00:00.000Z");
    const before = calendarPeriod(cal("week", "America/New_York"), Date.parse("2024-03-08T12:00:00Z"));
    expect(iso(before.startMs)).toBe("2024-03-04T05:00:00.000Z");
    expect(before.endMs - before.startMs).toBe(7 * DAY - HOUR);
  });

  it("spans the quarter across a year end in New York", () => {
    const p = calendarPeriod(cal("quarter", "America/New_York"), Date.parse("2024-12-31T23:00:00Z"));
    expect(iso(p.startMs)).toBe("2024-10-01T04:00:00.000Z");
    expect(iso(p.endMs)).toBe("2025-01-01T05:00:00.000Z");
  });

  it("starts a quarter at the first instant after a midnight skipped by DST (Damascus, 1 April 2006)", () => {
    // Syria jumped from 00:00 (+02:00) to 01:00 (+03:00) on 1 April 2006; local midnight never happened.
    const p = calendarPeriod(cal("quarter", "Asia/Damascus"), Date.parse("2006-04-15T00:00:00Z"));
    expect(iso(p.startMs)).toBe("2006-03-31T22:00:00.000Z");
    expect(timeZoneOffsetMs(p.startMs, "Asia/Damascus")).toBe(3 * HOUR);
    const q1 = calendarPeriod(cal("quarter", "Asia/Damascus"), Date.parse("2006-02-01T00:00:00Z"));
    expect(q1.endMs).toBe(p.startMs);
  });

  it("reads the Berlin offset as +1 h in winter and +2 h in summer", () => {
    expect(timeZoneOffsetMs(Date.parse("2024-01-15T00:00:00Z"), "Europe/Berlin")).toBe(HOUR);
    expect(timeZoneOffsetMs(Date.parse("2024-07-15T00:00:00Z"), "Europe/Berlin")).toBe(2 * HOUR);
  });

  it("rejects an unknown time zone with a stable code", () => {
    expect(() => calendarPeriod(cal("month", "Mars/Olympus"), 0)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_SLO_TIMEZONE_INVALID" }),
    );
  });

  it("always returns a period that contains the instant, abuts the next one and starts at local midnight", () => {
    const zones = ["Europe/Berlin", "America/New_York", "UTC", "Australia/Lord_Howe", "Asia/Kolkata"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom<CalendarWindow["unit"]>("week", "month", "quarter"),
        fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2040-01-01T00:00:00Z") }),
        (zone, unit, at) => {
          const window = cal(unit, zone);
          const p = calendarPeriod(window, at);
          expect(p.startMs).toBeLessThanOrEqual(at);
          expect(at).toBeLessThan(p.endMs);
          expect(calendarPeriod(window, p.endMs).startMs).toBe(p.endMs);
          expect(calendarPeriod(window, p.startMs)).toEqual(p);
          expect(calendarPeriod(window, p.startMs - 1).endMs).toBe(p.startMs);
          const local = new Date(p.startMs + timeZoneOffsetMs(p.startMs, zone));
          expect(local.getUTCHours() * 60 + local.getUTCMinutes()).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
