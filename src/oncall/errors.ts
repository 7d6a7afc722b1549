import { defineError } from "../errors/index.js";

export const TimeZoneInvalidError = defineError(
  "NINES_ERR_ONCALL_TIME_ZONE_INVALID",
  400,
  "A schedule, rotation or restriction names a time zone that is not an IANA zone known to the runtime.",
);
export const ScheduleInvalidError = defineError(
  "NINES_ERR_ONCALL_SCHEDULE_INVALID",
  400,
  "A schedule has a malformed field (rotation length, handoff time, start date, restriction or override); `details` names each field path.",
);
export const TimeRangeInvalidError = defineError(
  "NINES_ERR_ONCALL_TIME_RANGE_INVALID",
  400,
  "A time range asked of a schedule is empty, reversed or longer than the allowed horizon.",
);
export const EscalationPolicyInvalidError = defineError(
  "NINES_ERR_ONCALL_ESCALATION_INVALID",
  400,
  "An escalation policy has no notify step, a negative wait, or repeats without any wait in between; `details` names each field path.",
);
export const AlreadyOnCallError = defineError(
  "NINES_ERR_ONCALL_ALREADY_ON_CALL",
  409,
  "A take-over was asked by the person who is already on call at that moment.",
);
