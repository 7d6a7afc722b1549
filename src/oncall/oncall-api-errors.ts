import { defineError } from "../errors/index.js";

export const OncallNotFoundError = defineError(
  "NINES_ERR_ONCALL_NOT_FOUND",
  404,
  "No person, team, service, schedule, escalation policy or override with this id.",
);
export const OncallReferenceError = defineError(
  "NINES_ERR_ONCALL_REFERENCE_INVALID",
  400,
  "A person, team, service, schedule or escalation policy names an id that does not exist (a member, participant, schedule, policy step or owning team), or reuses a name; `details` names each field path. Nothing was written.",
);
export const OncallConflictError = defineError(
  "NINES_ERR_ONCALL_CONFLICT",
  409,
  "The object already exists (on create), or removing or changing it would leave other on-call objects pointing at nothing; `details` names each of them. Nothing was written.",
);
export const OncallConfigInvalidError = defineError(
  "NINES_ERR_ONCALL_CONFIG_INVALID",
  400,
  "An on-call document (people, teams, services, schedules, escalation policies) is malformed or inconsistent; `details` names each field path (and line, for YAML). Nothing was written.",
);
