import { ScheduleInvalidError } from "./errors.js";
import type { Interval } from "./intervals.js";
import type { Rotation } from "./model.js";
import {
  CIVIL_DAY_MS,
  CIVIL_MINUTE_MS,
  fromCivilMs,
  parseClock,
  parseLocalDate,
  toCivilMs,
} from "./zoned-time.js";

/** One participant's turn in a rotation. */
export interface Turn extends Interval {
  readonly personId: string;
  /** 0 for the first turn after the start date, counting up. */
  readonly index: number;
}

const HOUR_MS = 3_600_000;

/**
 * Start of turn `index`. Day and week turns hand off at the same wall-clock time in the rotation's
 * zone, so a Monday 09:00 Berlin handoff is 08:00Z in winter and 07:00Z in summer; hour turns are
 * elapsed time and drift against the wall clock across a DST change.
 */
export function handoffAt(rotation: Rotation, index: number): number {
  const { firstCivil, periodMs, elapsed } = shape(rotation);
  if (elapsed) return fromCivilMs(rotation.timeZone, firstCivil) + index * periodMs;
  return fromCivilMs(rotation.timeZone, firstCivil + index * periodMs);
}

/** Index of the turn under way at `at`, or -1 before the first handoff. */
export function turnIndexAt(rotation: Rotation, at: number): number {
  const first = handoffAt(rotation, 0);
  if (at < first) return -1;
  const { firstCivil, periodMs, elapsed } = shape(rotation);
  let k = elapsed
    ? Math.floor((at - first) / periodMs)
    : Math.floor((toCivilMs(rotation.timeZone, at) - firstCivil) / periodMs);
  k = Math.max(0, k);
  while (k > 0 && handoffAt(rotation, k) > at) k -= 1;
  while (handoffAt(rotation, k + 1) <= at) k += 1;
  return k;
}

/** The person whose turn it is at `at`, or null before the rotation starts. */
export function rotationPersonAt(rotation: Rotation, at: number): string | null {
  const k = turnIndexAt(rotation, at);
  if (k < 0) return null;
  return participantOf(rotation, k);
}

/** The turns overlapping [from, to), clipped to it. */
export function rotationTurns(rotation: Rotation, from: number, to: number): Turn[] {
  const turns: Turn[] = [];
  if (to <= from) return turns;
  let k = Math.max(0, turnIndexAt(rotation, from));
  let start = handoffAt(rotation, k);
  while (start < to) {
    const end = handoffAt(rotation, k + 1);
    if (end > from) {
      turns.push({
        start: Math.max(start, from),
        end: Math.min(end, to),
        personId: participantOf(rotation, k),
        index: k,
      });
    }
    k += 1;
    start = end;
  }
  return turns;
}

function participantOf(rotation: Rotation, k: number): string {
  const p = rotation.participants[k % rotation.participants.length];
  if (p === undefined)
    throw new ScheduleInvalidError("a rotation has no participants", { field: "participants" });
  return p;
}

function shape(rotation: Rotation): { firstCivil: number; periodMs: number; elapsed: boolean } {
  const date = parseLocalDate(rotation.startDate);
  const clock = parseClock(rotation.handoffTime);
  if (date === undefined || clock === undefined || clock === 1440) {
    throw new ScheduleInvalidError("a rotation has a malformed startDate or handoffTime", {
      startDate: rotation.startDate,
      handoffTime: rotation.handoffTime,
    });
  }
  const { unit, count } = rotation.length;
  if (!Number.isInteger(count) || count < 1) {
    throw new ScheduleInvalidError("a rotation length must be a positive whole number", {
      length: rotation.length,
    });
  }
  const firstCivil = date + clock * CIVIL_MINUTE_MS;
  if (unit === "hours") return { firstCivil, periodMs: count * HOUR_MS, elapsed: true };
  return { firstCivil, periodMs: count * (unit === "weeks" ? 7 : 1) * CIVIL_DAY_MS, elapsed: false };
}
