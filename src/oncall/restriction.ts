import { ScheduleInvalidError } from "./errors.js";
import { type Interval, unionIntervals } from "./intervals.js";
import type { Restriction, Weekday } from "./model.js";
import { CIVIL_DAY_MS, CIVIL_MINUTE_MS, fromCivilMs, parseClock, toCivilMs } from "./zoned-time.js";

export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/**
 * The windows of a layer's restrictions that overlap [from, to), in the zone, merged and clipped.
 * With no restrictions the whole range is one window.
 */
export function restrictionWindows(
  restrictions: readonly Restriction[] | undefined,
  timeZone: string,
  from: number,
  to: number,
): Interval[] {
  if (to <= from) return [];
  if (restrictions === undefined || restrictions.length === 0) return [{ start: from, end: to }];
  const firstDay = Math.floor(toCivilMs(timeZone, from) / CIVIL_DAY_MS) - 1;
  const lastDay = Math.floor(toCivilMs(timeZone, to) / CIVIL_DAY_MS) + 1;
  const windows: Interval[] = [];
  for (const r of restrictions) {
    const { start, end } = clocks(r);
    const days = new Set(r.days ?? WEEKDAYS);
    for (let day = firstDay; day <= lastDay; day++) {
      const weekday = WEEKDAYS[new Date(day * CIVIL_DAY_MS).getUTCDay()];
      if (weekday === undefined || !days.has(weekday)) continue;
      const open = day * CIVIL_DAY_MS + start * CIVIL_MINUTE_MS;
      const close = day * CIVIL_DAY_MS + (end <= start ? end + 1440 : end) * CIVIL_MINUTE_MS;
      const s = Math.max(from, fromCivilMs(timeZone, open));
      const e = Math.min(to, fromCivilMs(timeZone, close));
      if (e > s) windows.push({ start: s, end: e });
    }
  }
  return unionIntervals(windows);
}

/** True when `at` falls inside one of the restrictions' windows (always true without restrictions). */
export function insideRestrictions(
  restrictions: readonly Restriction[] | undefined,
  timeZone: string,
  at: number,
): boolean {
  if (restrictions === undefined || restrictions.length === 0) return true;
  const civil = toCivilMs(timeZone, at);
  const today = Math.floor(civil / CIVIL_DAY_MS);
  for (const r of restrictions) {
    const { start, end } = clocks(r);
    const days = new Set(r.days ?? WEEKDAYS);
    // A window that opened yesterday may still be open (nights cross midnight).
    for (const day of [today - 1, today]) {
      const weekday = WEEKDAYS[new Date(day * CIVIL_DAY_MS).getUTCDay()];
      if (weekday === undefined || !days.has(weekday)) continue;
      const open = fromCivilMs(timeZone, day * CIVIL_DAY_MS + start * CIVIL_MINUTE_MS);
      const close = fromCivilMs(
        timeZone,
        day * CIVIL_DAY_MS + (end <= start ? end + 1440 : end) * CIVIL_MINUTE_MS,
      );
      if (at >= open && at < close) return true;
    }
  }
  return false;
}

function clocks(r: Restriction): { start: number; end: number } {
  const start = parseClock(r.start);
  const end = parseClock(r.end);
  if (start === undefined || end === undefined || start === 1440) {
    throw new ScheduleInvalidError("a restriction has a malformed start or end (expected HH:MM)", {
      restriction: r,
    });
  }
  return { start, end };
}
