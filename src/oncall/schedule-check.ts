import type { Interval } from "./intervals.js";
import type { Schedule } from "./model.js";
import { shifts } from "./shifts.js";

export interface HoursImbalance {
  readonly personId: string;
  readonly hours: number;
  readonly meanHours: number;
  /** (hours - mean) / mean: +0.5 means 50% more on-call time than the average participant. */
  readonly deviation: number;
}

export interface ScheduleCheck {
  /** Spans of the range with nobody on call. */
  readonly gaps: readonly Interval[];
  /** On-call hours of every participant of any layer (0 for those never on), and of override takers. */
  readonly hoursByPerson: Readonly<Record<string, number>>;
  /** Rotation participants whose hours differ from the participants' mean by more than the tolerance. */
  readonly imbalances: readonly HoursImbalance[];
}

export interface ScheduleCheckOptions {
  readonly from: number;
  readonly weeks: number;
  /** Allowed relative deviation from the mean, e.g. 0.25 for ±25%. */
  readonly tolerance: number;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/**
 * Checks the next `weeks` of a schedule for gaps (nobody to page) and for unequal load. The SRE
 * book (ch. 11) asks for on-call load spread evenly so that no one burns out.
 */
export function checkSchedule(schedule: Schedule, options: ScheduleCheckOptions): ScheduleCheck {
  const to = options.from + options.weeks * WEEK_MS;
  const timeline = shifts(schedule, options.from, to);
  const hours: Record<string, number> = {};
  for (const layer of schedule.layers) for (const p of layer.rotation.participants) hours[p] = 0;
  const gaps: Interval[] = [];
  for (const s of timeline) {
    if (s.personId === null) gaps.push({ start: s.start, end: s.end });
    else hours[s.personId] = (hours[s.personId] ?? 0) + (s.end - s.start) / HOUR_MS;
  }
  const people = [...new Set(schedule.layers.flatMap((l) => l.rotation.participants))];
  const mean = people.length === 0 ? 0 : people.reduce((sum, p) => sum + (hours[p] ?? 0), 0) / people.length;
  const imbalances: HoursImbalance[] = [];
  if (mean > 0) {
    for (const p of people) {
      const h = hours[p] ?? 0;
      const deviation = (h - mean) / mean;
      if (Math.abs(deviation) > options.tolerance)
        imbalances.push({ personId: p, hours: h, meanHours: mean, deviation });
    }
  }
  imbalances.sort(
    (a, b) => Math.abs(b.deviation) - Math.abs(a.deviation) || a.personId.localeCompare(b.personId),
  );
  return { gaps, hoursByPerson: hours, imbalances };
}
