import { type WallClockFields, wallClockFields, zoneFormatter } from "../time/zone-formatter.js";
import { TimeZoneInvalidError } from "./calendar-errors.js";
import type { CalendarWindow } from "./model.js";

/** One calendar period: `[startMs, endMs)`. */
export interface CalendarPeriod {
  readonly startMs: number;
  readonly endMs: number;
}

const DAY_MS = 86_400_000;

/**
 * The calendar week (ISO, starting Monday), month or quarter containing `atMs`, starting at local
 * midnight in the window's IANA time zone. DST-correct: offsets come from `Intl.DateTimeFormat`;
 * a midnight skipped by a DST jump starts the period at the first instant after it, and a midnight
 * that occurs twice starts it at the first occurrence.
 */
export function calendarPeriod(window: CalendarWindow, atMs: number): CalendarPeriod {
  const { year, month, day } = localDate(atMs, window.timeZone);
  let start: LocalDate;
  let end: LocalDate;
  if (window.unit === "week") {
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    start = shiftDays({ year, month, day }, -weekday);
    end = shiftDays(start, 7);
  } else {
    const months = window.unit === "month" ? 1 : 3;
    const first = window.unit === "month" ? month : Math.floor((month - 1) / 3) * 3 + 1;
    start = { year, month: first, day: 1 };
    end = normalize(year, first + months, 1);
  }
  return {
    startMs: localMidnightToUtc(start, window.timeZone),
    endMs: localMidnightToUtc(end, window.timeZone),
  };
}

/** Offset of the time zone from UTC at `atMs`, in ms (positive east of Greenwich). */
export function timeZoneOffsetMs(atMs: number, timeZone: string): number {
  const t = Math.floor(atMs / 1000) * 1000;
  const p = parts(t, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
}

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function localDate(atMs: number, timeZone: string): LocalDate {
  const p = parts(atMs, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

function shiftDays(d: LocalDate, days: number): LocalDate {
  return normalize(d.year, d.month, d.day + days);
}

function normalize(year: number, month: number, day: number): LocalDate {
  const dt = new Date(Date.UTC(year, month - 1, day));
  return { year: dt.getUTCFullYear(), month: dt.getUTCMonth() + 1, day: dt.getUTCDate() };
}

function localMidnightToUtc(d: LocalDate, timeZone: string): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day);
  const candidates = new Set<number>();
  for (const probe of [wall - DAY_MS, wall, wall + DAY_MS])
    candidates.add(wall - timeZoneOffsetMs(probe, timeZone));
  const valid = [...candidates]
    .filter((t) => t + timeZoneOffsetMs(t, timeZone) === wall)
    .sort((a, b) => a - b);
  if (valid[0] !== undefined) return valid[0];
  // Midnight was skipped: the day starts at the transition, i.e. midnight read with the old offset.
  return Math.max(...candidates);
}

function parts(atMs: number, timeZone: string): WallClockFields {
  const f = zoneFormatter(timeZone);
  if (f === null) throw new TimeZoneInvalidError(`unknown time zone ${timeZone}`, { timeZone });
  return wallClockFields(f, atMs);
}
