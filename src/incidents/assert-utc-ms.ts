import { IncidentTimeInvalidError } from "./errors.js";

/** Latest instant JavaScript dates can represent (8.64e15 ms after the epoch). */
const MAX_UTC_MS = 8_640_000_000_000_000;

/** Throws NINES_ERR_INCIDENT_TIME_INVALID unless `value` is an integer of UTC ms in the Date range. */
export function assertUtcMs(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_UTC_MS) {
    throw new IncidentTimeInvalidError(`${field} must be a non-negative integer of UTC milliseconds`, {
      field,
      value,
    });
  }
}
