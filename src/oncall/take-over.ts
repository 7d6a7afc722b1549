import { AlreadyOnCallError } from "./errors.js";
import type { Override, Schedule, Shift } from "./model.js";
import { shifts } from "./shifts.js";

/** How far ahead the current and next shifts are looked for. */
const HORIZON_MS = 62 * 86_400_000;

/**
 * Emergency take-over ("I take this shift now"): an override for `personId` from `now` to the end
 * of the shift under way (or of the gap, if nobody is on call).
 */
export function takeOver(schedule: Schedule, personId: string, now: number, reason?: string): Override {
  const current = shifts(schedule, now, now + HORIZON_MS)[0] as Shift;
  if (current.personId === personId) {
    throw new AlreadyOnCallError(`${personId} is already on call`, { personId, until: current.end });
  }
  return {
    id: `takeover-${personId}-${now}`,
    personId,
    start: now,
    end: current.end,
    reason: reason ?? "take-over",
  };
}

/** A copy of the schedule with one more override (it wins over earlier overrides). */
export function withOverride(schedule: Schedule, override: Override): Schedule {
  return { ...schedule, overrides: [...schedule.overrides, override] };
}

/**
 * The next person to come on call after `now` (the first later shift with someone else, skipping
 * gaps), for a "you are on call next" notice; null when nobody else is on within the horizon.
 */
export function nextOnCall(schedule: Schedule, now: number): Shift | null {
  const timeline = shifts(schedule, now, now + HORIZON_MS);
  const current = timeline[0]?.personId ?? null;
  return timeline.find((s, i) => i > 0 && s.personId !== null && s.personId !== current) ?? null;
}
