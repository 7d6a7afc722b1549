import { defineError } from "../errors/index.js";

export const IncidentInputInvalidError = defineError(
  "NINES_ERR_INCIDENT_INPUT_INVALID",
  400,
  "An incident input does not match its schema; `details` lists each field path and what is wrong.",
);
export const IncidentTransitionIllegalError = defineError(
  "NINES_ERR_INCIDENT_TRANSITION_ILLEGAL",
  409,
  "The incident cannot move from its current status to the requested one; `details` has `from`, `to` and the allowed targets.",
);
export const IncidentTimeInvalidError = defineError(
  "NINES_ERR_INCIDENT_TIME_INVALID",
  400,
  "A time is not a non-negative integer of UTC milliseconds, or it is earlier than the incident's last recorded change.",
);
export const IncidentRoleNotAssignedError = defineError(
  "NINES_ERR_INCIDENT_ROLE_NOT_ASSIGNED",
  409,
  "The role to unassign is not currently held by anyone on this incident.",
);
export const IncidentRoleAlreadyAssignedError = defineError(
  "NINES_ERR_INCIDENT_ROLE_ALREADY_ASSIGNED",
  409,
  "The person already holds this role on this incident.",
);
export const IncidentClosedError = defineError(
  "NINES_ERR_INCIDENT_CLOSED",
  409,
  "The incident is resolved; reopen it (status `investigating`) before changing roles.",
);
export const IncidentNotResolvedError = defineError(
  "NINES_ERR_INCIDENT_NOT_RESOLVED",
  409,
  "The postmortem requirement is evaluated when an incident is resolved, and this one is not.",
);
export const IncidentConfigInvalidError = defineError(
  "NINES_ERR_INCIDENT_CONFIG_INVALID",
  400,
  "Severity meanings or detector options are invalid (e.g. a threshold outside (0, 1] or a non-positive window).",
);
export const PostmortemInputInvalidError = defineError(
  "NINES_ERR_POSTMORTEM_INPUT_INVALID",
  400,
  "A postmortem input does not match its schema; `details` lists each field path and what is wrong.",
);
export const PostmortemPolicyInvalidError = defineError(
  "NINES_ERR_POSTMORTEM_POLICY_INVALID",
  400,
  "A postmortem requirement policy has an invalid threshold (negative, not finite, or a fraction outside [0, 1]).",
);
export const PostmortemTransitionIllegalError = defineError(
  "NINES_ERR_POSTMORTEM_TRANSITION_ILLEGAL",
  409,
  "The review action is not allowed in the postmortem's current status (draft, in-review, published).",
);
export const PostmortemNotAuthorError = defineError(
  "NINES_ERR_POSTMORTEM_NOT_AUTHOR",
  403,
  "Only the postmortem's authors may edit it, submit it for review or publish it.",
);
export const PostmortemNotReviewerError = defineError(
  "NINES_ERR_POSTMORTEM_NOT_REVIEWER",
  403,
  "Only the named reviewers of the postmortem may approve it or request changes.",
);
export const PostmortemNotApprovedError = defineError(
  "NINES_ERR_POSTMORTEM_NOT_APPROVED",
  409,
  "The postmortem cannot be published until every named reviewer has approved it; `details.pending` lists who has not.",
);
export const PostmortemNotEditableError = defineError(
  "NINES_ERR_POSTMORTEM_NOT_EDITABLE",
  409,
  "The postmortem is in review or published; only drafts can be edited (requested changes send it back to draft).",
);
export const PostmortemReviewersInvalidError = defineError(
  "NINES_ERR_POSTMORTEM_REVIEWERS_INVALID",
  400,
  "A review needs at least one named reviewer who is not an author of the postmortem.",
);
export const PostmortemMarkdownInvalidError = defineError(
  "NINES_ERR_POSTMORTEM_MARKDOWN_INVALID",
  400,
  "The Markdown postmortem cannot be imported (front matter missing or invalid, or a malformed line); `details.line` says where.",
);
export const ActionItemInvalidError = defineError(
  "NINES_ERR_POSTMORTEM_ACTION_ITEM_INVALID",
  400,
  "An action item input is invalid (e.g. an issue URL that is not http/https); `details` names the field.",
);
export const ActionItemTransitionIllegalError = defineError(
  "NINES_ERR_POSTMORTEM_ACTION_ITEM_TRANSITION_ILLEGAL",
  409,
  "The action item cannot move from its current status to the requested one.",
);
