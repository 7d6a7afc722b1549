import { defineError } from "../errors/index.js";

/** A calendar window names a time zone the runtime does not know. */
export const TimeZoneInvalidError = defineError(
  "NINES_ERR_SLO_TIMEZONE_INVALID",
  400,
  "A calendar SLO window names a time zone that is not a valid IANA zone, e.g. Europe/Berlin.",
);
