import { CIVIL_DAY_MS, fromCivilMs, parseLocalDateTime, toCivilMs } from "../oncall/index.js";
import type { Outcome } from "./signal.js";

/**
 * A planned window during which a service's signals of the listed outcomes are held back. Start
 * and end are wall-clock times in `timeZone`; a weekly window repeats every week at the same local
 * times, so it follows the zone's DST changes.
 */
export interface MaintenanceWindow {
  readonly id: string;
  readonly service: string;
  readonly timeZone: string;
  /** Local "YYYY-MM-DDTHH:MM". */
  readonly start: string;
  readonly end: string;
  readonly recurrence: "none" | "weekly";
  readonly outcomes: readonly Outcome[];
  readonly comment?: string;
}

const WEEK_MS = 7 * CIVIL_DAY_MS;

/** True when `at` falls inside the window (or one of its weekly repeats). Malformed windows never match. */
export function inMaintenance(window: MaintenanceWindow, at: number): boolean {
  const start = parseLocalDateTime(window.start);
  const end = parseLocalDateTime(window.end);
  if (start === undefined || end === undefined || end <= start) return false;
  const zone = window.timeZone;
  if (window.recurrence === "none") return at >= fromCivilMs(zone, start) && at < fromCivilMs(zone, end);
  if (at < fromCivilMs(zone, start)) return false;
  const k = Math.floor((toCivilMs(zone, at) - start) / WEEK_MS);
  // Check this week's occurrence and the previous one (near a DST change the civil estimate can be off by one).
  for (const week of [k, k - 1]) {
    if (week < 0) continue;
    const open = fromCivilMs(zone, start + week * WEEK_MS);
    const close = fromCivilMs(zone, end + week * WEEK_MS);
    if (at >= open && at < close) return true;
  }
  return false;
}

/** The first window holding back a signal of `service` with `outcome` at `at`, if any. */
export function activeMaintenance(
  windows: readonly MaintenanceWindow[],
  service: string,
  outcome: Outcome,
  at: number,
): MaintenanceWindow | undefined {
  return windows.find((w) => w.service === service && w.outcomes.includes(outcome) && inMaintenance(w, at));
}
