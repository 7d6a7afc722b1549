import type { Generated } from "kysely";

/** A person who can be on call; `contacts` is a JSON array of `{ kind, address }`. */
export interface OncallPeopleTable {
  id: string;
  name: string;
  contacts: string;
  time_zone: string | null;
  updated_at: number;
}

export interface OncallTeamsTable {
  id: string;
  name: string;
  /** JSON array of person ids. */
  members: string;
  /** JSON array of schedule ids. */
  schedule_ids: string;
  escalation_policy_id: string | null;
  updated_at: number;
}

export interface OncallServicesTable {
  id: string;
  name: string;
  team_id: string;
  updated_at: number;
}

/** A schedule's validated document (id, name, layers) as JSON; its overrides are rows of their own. */
export interface OncallSchedulesTable {
  id: string;
  name: string;
  document: string;
  updated_at: number;
}

/** One override of a schedule; `id` (insertion order) decides which of overlapping overrides wins. */
export interface OncallOverridesTable {
  id: Generated<number>;
  schedule_id: string;
  override_id: string;
  person_id: string;
  start_ms: number;
  end_ms: number;
  reason: string | null;
  created_at: number;
  created_by: string;
}

export interface OncallEscalationPoliciesTable {
  id: string;
  name: string;
  document: string;
  updated_at: number;
}

export interface OncallTables {
  oncall_people: OncallPeopleTable;
  oncall_teams: OncallTeamsTable;
  oncall_services: OncallServicesTable;
  oncall_schedules: OncallSchedulesTable;
  oncall_overrides: OncallOverridesTable;
  oncall_escalation_policies: OncallEscalationPoliciesTable;
}
