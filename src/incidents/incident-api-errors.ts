import { defineError } from "../errors/index.js";

export const IncidentNotFoundError = defineError(
  "NINES_ERR_INCIDENT_NOT_FOUND",
  404,
  "No incident with this id.",
);
export const PostmortemNotFoundError = defineError(
  "NINES_ERR_POSTMORTEM_NOT_FOUND",
  404,
  "No postmortem with this id (or the incident has none yet).",
);
export const PostmortemExistsError = defineError(
  "NINES_ERR_POSTMORTEM_EXISTS",
  409,
  "The incident already has a postmortem; `details.postmortemId` names it.",
);
export const ActionItemNotFoundError = defineError(
  "NINES_ERR_ACTION_ITEM_NOT_FOUND",
  404,
  "No action item with this id.",
);
export const IncidentConflictError = defineError(
  "NINES_ERR_INCIDENT_CONFLICT",
  409,
  "The incident or postmortem changed concurrently several times in a row; retry the request.",
);
