import { describe, expect, it } from "vitest";
import {
  foldLine,
  icalEscape,
  type Layer,
  personICal,
  shifts,
  shiftsToICal,
} from "../../src/oncall/index.js";
import { at, rotation, schedule } from "./fixtures.js";

const weekly: Layer = { id: "base", name: "Weekly", rotation: rotation() };
const timeline = shifts(schedule([weekly]), at("2026-03-16T00:00:00Z"), at("2026-04-20T00:00:00Z"));
const octets = (s: string): number => new TextEncoder().encode(s).length;

describe("iCal export", () => {
  const ics = shiftsToICal(timeline, {
    personId: "ben",
    scheduleId: "primary",
    scheduleName: "Primary",
    now: at("2026-03-01T12:00:00Z"),
  });

  it("has one VEVENT per shift of the person, in UTC, across the DST change", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain("DTSTART:20260323T080000Z\r\nDTEND:20260330T070000Z");
    expect(ics).toContain("DTSTART:20260413T070000Z\r\nDTEND:20260420T000000Z");
    expect(ics).toContain("DTSTAMP:20260301T120000Z");
    expect(ics).toContain("UID:primary-ben-20260323T080000Z@nines");
  });

  it("ends every line with CRLF and no bare LF", () => {
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("folds long lines at 75 octets without splitting a multi-byte character", () => {
    const line = `SUMMARY:${"Bereitschaft für Datenbanken – Köln ".repeat(6)}`;
    const folded = foldLine(line);
    const lines = folded.split("\r\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(octets(l)).toBeLessThanOrEqual(75);
    for (const l of lines.slice(1)) expect(l.startsWith(" ")).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
  });

  it("escapes commas, semicolons, backslashes and newlines in text", () => {
    expect(icalEscape("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
  });

  it("keeps the real start (and UID) of a shift already under way at the start of the export", () => {
    const s = schedule([weekly]);
    const feed = personICal(s, "ben", at("2026-03-25T00:00:00Z"), at("2026-04-01T00:00:00Z"), { now: 0 });
    expect(feed).toContain("UID:primary-ben-20260323T080000Z@nines");
    expect(feed).toContain("DTSTART:20260323T080000Z");
    expect(feed.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it("folds the real feed's long lines and keeps them within 75 octets", () => {
    const long = shiftsToICal(timeline, {
      personId: "ben",
      scheduleId: "primary",
      scheduleName: "Plattform-Bereitschaft für Zahlungsverkehr, Datenbanken und Warteschlangen (EMEA)",
      now: 0,
    });
    const lines = long.split("\r\n");
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    for (const l of lines) expect(octets(l)).toBeLessThanOrEqual(75);
    expect(long.replace(/\r\n /g, "")).toContain(
      "SUMMARY:On call: Plattform-Bereitschaft für Zahlungsverkehr\\, Datenbanken",
    );
  });
});
