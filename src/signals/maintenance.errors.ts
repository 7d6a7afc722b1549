import { defineError } from "../errors/index.js";

export const MaintenanceWindowInvalidError = defineError(
  "NINES_ERR_SIGNALS_MAINTENANCE_INVALID",
  400,
  "A maintenance window has a malformed start or end, an unknown time zone, or ends before it starts; `details` names each field.",
);
export const MaintenanceWindowNotFoundError = defineError(
  "NINES_ERR_SIGNALS_MAINTENANCE_NOT_FOUND",
  404,
  "No maintenance window with this id.",
);
