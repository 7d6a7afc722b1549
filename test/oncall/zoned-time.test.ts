import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromCivilMs, isTimeZone, toCivilMs, toLocal, zoneOffsetMs } from "../../src/oncall/index.js";
import { at } from "./fixtures.js";

describe("zoned time", () => {
  it("reads Berlin as UTC+1 in January and UTC+2 in July", () => {
    expect(zoneOffsetMs("Europe/Berlin", at("2026-01-15T12:00:00Z"))).toBe(3_600_000);
    expect(zoneOffsetMs("Europe/Berlin", at("2026-07-15T12:00:00Z"))).toBe(7_200_000);
  });

  it("reads New York as UTC-5 in January", () => {
    expect(zoneOffsetMs("America/New_York", at("2026-01-15T12:00:00Z"))).toBe(-5 * 3_600_000);
  });

  it("maps a wall-clock time skipped by spring-forward to the hour after (02:30 → 03:30 CEST)", () => {
    expect(fromCivilMs("Europe/Berlin", Date.UTC(2026, 2, 29, 2, 30))).toBe(at("2026-03-29T01:30:00Z"));
  });

  it("maps a wall-clock time repeated by fall-back to its first occurrence", () => {
    expect(fromCivilMs("Europe/Berlin", Date.UTC(2026, 9, 25, 2, 30))).toBe(at("2026-10-25T00:30:00Z"));
  });

  it("gives the local weekday and time of an instant", () => {
    const local = toLocal("Asia/Kolkata", at("2026-03-30T03:30:00Z"));
    expect(local).toMatchObject({ year: 2026, month: 3, day: 30, hour: 9, minute: 0, weekday: 1 });
  });

  it("rejects an unknown zone", () => {
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
  });

  const zones = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kathmandu",
    "America/St_Johns",
    "UTC",
  ];
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });

  it("agrees with Intl's own rendering of the local time at any instant", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (zone, t) => {
        const text = new Date(t).toLocaleString("sv-SE", { timeZone: zone, hourCycle: "h23" });
        const local = new Date(toCivilMs(zone, t)).toISOString().slice(0, 19).replace("T", " ");
        expect(local).toBe(text);
      }),
    );
  });

  it("round-trips every instant through its wall-clock reading, except the repeated hour", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (zone, t) => {
        const back = fromCivilMs(zone, toCivilMs(zone, t));
        // In a repeated (fall-back) hour the earlier instant is chosen, so `back` may be one offset step before t.
        expect(back === t || (back < t && toCivilMs(zone, back) === toCivilMs(zone, t))).toBe(true);
      }),
    );
  });
});
