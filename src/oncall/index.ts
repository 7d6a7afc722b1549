export * from "./errors.js";
export {
  assertEscalationPolicy,
  type EscalatedPage,
  type EscalationNotification,
  type EscalationPolicy,
  type EscalationState,
  type EscalationStep,
  escalationPlan,
  evaluateEscalation,
} from "./escalation.js";
export {
  EscalationPolicySchema,
  escalationPolicyErrors,
  parseEscalationPolicy,
} from "./escalation-schema.js";
export { foldLine, type ICalOptions, icalDateTime, icalEscape, personICal, shiftsToICal } from "./ical.js";
export { type Interval, unionIntervals } from "./intervals.js";
export type * from "./model.js";
export { pagesPerShift, type ShiftLoad } from "./pages-per-shift.js";
export { insideRestrictions, restrictionWindows, WEEKDAYS } from "./restriction.js";
export { handoffAt, rotationPersonAt, rotationTurns, type Turn, turnIndexAt } from "./rotation.js";
export {
  checkSchedule,
  type HoursImbalance,
  type ScheduleCheck,
  type ScheduleCheckOptions,
} from "./schedule-check.js";
export { parseSchedule, ScheduleSchema, scheduleErrors } from "./schedule-schema.js";
export { layerSpans, MAX_SHIFTS_RANGE_MS, shifts, whoIsOnCall, whoIsOnCallInLayer } from "./shifts.js";
export { nextOnCall, takeOver, withOverride } from "./take-over.js";
export {
  assertTimeZone,
  CIVIL_DAY_MS,
  CIVIL_MINUTE_MS,
  fromCivilMs,
  isTimeZone,
  type LocalDateTime,
  parseClock,
  parseLocalDate,
  parseLocalDateTime,
  toCivilMs,
  toLocal,
  zoneOffsetMs,
} from "./zoned-time.js";
