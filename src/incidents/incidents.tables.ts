import type { Generated } from "kysely";

/**
 * One incident. Scalar facts are columns (for filters and lists); lists and nested records are
 * JSON text. `version` guards read-modify-write changes (optimistic concurrency).
 */
export interface IncidentsTable {
  id: Generated<number>;
  title: string;
  severity: string;
  status: string;
  /** manual, page or detector. */
  source: string;
  declared_by: string;
  declared_at: number;
  detected_at: number;
  /** Page id, person or detector proposal the detection refers to. */
  detection_ref: string | null;
  impact_started_at: number | null;
  mitigated_at: number | null;
  resolved_at: number | null;
  updated_at: number;
  /** JSON string[] of affected services. */
  services: string;
  /** JSON string[] of affected SLO ids. */
  slos: string;
  /** JSON CustomerImpact. */
  customer_impact: string;
  /** JSON RoleAssignment[] (the full history). */
  roles: string;
  /** JSON StatusChange[]. */
  status_history: string;
  /** JSON Intervention[]. */
  interventions: string;
  /** JSON SloBudgetConsumption[]. */
  budget_consumed: string;
  /** JSON string[]. */
  cause_tags: string;
  /** JSON string[] of page ids the incident was declared from or linked to. */
  page_ids: string;
  /** JSON RecurrenceLink[]: earlier postmortems this incident repeats. */
  related_postmortems: string;
  /** 1 required, 0 not required, null not evaluated yet (evaluated on resolve). */
  postmortem_required: number | null;
  /** JSON PostmortemTrigger[]: the rules that required the postmortem. */
  postmortem_triggers: string;
  postmortem_due_at: number | null;
  version: number;
}

/** Affected services of each incident, for the service filter. */
export interface IncidentServicesTable {
  incident_id: number;
  service: string;
}

/** Timeline entries stored for an incident: manual notes and entries nines wrote itself. */
export interface IncidentTimelineTable {
  id: Generated<number>;
  incident_id: number;
  at: number;
  kind: string;
  text: string;
  author: string | null;
  ref: string | null;
  created_at: number;
}

/** One "found without paging" burn episode per SLO: the detector declares at most one incident per episode. */
export interface IncidentBurnEpisodesTable {
  slo_id: string;
  incident_id: number;
  started_at: number;
  /** Set when the SLO's spend in the window fell back to the threshold or below. */
  ended_at: number | null;
  consumed: number;
}

export interface PostmortemsTable {
  id: Generated<number>;
  incident_id: number;
  title: string;
  status: string;
  /** JSON string[]. */
  authors: string;
  /** JSON string[]. */
  services: string;
  /** JSON string[]. */
  cause_tags: string;
  /** JSON of the template sections (summary, impact, root causes, …, extra sections). */
  content: string;
  /** JSON PostmortemTrigger[]: the rules that required this postmortem ([] when written voluntarily). */
  required_by: string;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  version: number;
}

export interface PostmortemReviewersTable {
  postmortem_id: number;
  name: string;
  position: number;
  decision: string;
  decided_at: number | null;
}

/** Review comments; blamelessness findings are comments of kind `blamelessness`. */
export interface PostmortemCommentsTable {
  postmortem_id: number;
  /** Comment id within the postmortem (c1, c2, …). */
  cid: string;
  author: string;
  at: number;
  kind: string;
  text: string;
  section: string | null;
  quote: string | null;
  start_pos: number | null;
  end_pos: number | null;
}

export interface ActionItemsTable {
  id: Generated<number>;
  postmortem_id: number;
  position: number;
  description: string;
  type: string;
  owner: string;
  priority: string;
  due_at: number;
  status: string;
  issue_url: string | null;
  service: string | null;
  team: string | null;
  created_at: number;
  updated_at: number;
}

export interface IncidentTables {
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  incident_timeline: IncidentTimelineTable;
  incident_burn_episodes: IncidentBurnEpisodesTable;
  postmortems: PostmortemsTable;
  postmortem_reviewers: PostmortemReviewersTable;
  postmortem_comments: PostmortemCommentsTable;
  action_items: ActionItemsTable;
}
