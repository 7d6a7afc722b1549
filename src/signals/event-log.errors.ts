import { defineError } from "../errors/index.js";

export const LogQueryInvalidError = defineError(
  "NINES_ERR_SIGNALS_LOG_QUERY_INVALID",
  400,
  "An event log search has a malformed label matcher or cursor, or a time range that ends before it starts; `details` names each field.",
);
