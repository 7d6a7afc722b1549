import type { Generated } from "kysely";

/** The current version of each applied SLO spec (soft-deleted rows keep their history). */
export interface SloSpecsTable {
  id: string;
  service: string;
  name: string;
  team: string;
  /** Format the spec was applied in: nines, openslo or sloth. */
  format: string;
  /** The normalized `Slo` as JSON. */
  spec_json: string;
  /** The spec as native YAML (what `nines slo get` prints). */
  yaml: string;
  version: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface SloSpecVersionsTable {
  slo_id: string;
  version: number;
  spec_json: string;
  yaml: string;
  applied_at: number;
  applied_by: string;
  /** "apply" or "delete". */
  change: string;
}

/** Accepted SLI samples: the durable log the in-memory store is rebuilt from. */
export interface SliSamplesTable {
  seq: Generated<number>;
  slo_id: string;
  ts: number;
  good: number;
  total: number;
  received_at: number;
}

/** The last cumulative counter reading pushed per SLO, to turn readings into interval counts. */
export interface SliCounterReadingsTable {
  slo_id: string;
  ts: number;
  good: number;
  total: number;
}

export interface SloAlertEventsTable {
  id: Generated<number>;
  slo_id: string;
  service: string;
  line: string;
  severity: string;
  state: string;
  at: number;
  burn_long: number;
  burn_short: number;
  budget_remaining: number;
  reason: string;
}

export interface SloAnnotationsTable {
  id: Generated<number>;
  slo_id: string;
  kind: string;
  at: number;
  end_at: number | null;
  text: string;
  author: string;
  created_at: number;
}

export interface SloBudgetAdjustmentsTable {
  id: Generated<number>;
  slo_id: string;
  from_ms: number;
  to_ms: number;
  reason: string;
  author: string;
  created_at: number;
  revoked_at: number | null;
}

export interface SloTables {
  slo_specs: SloSpecsTable;
  slo_spec_versions: SloSpecVersionsTable;
  sli_samples: SliSamplesTable;
  sli_counter_readings: SliCounterReadingsTable;
  slo_alert_events: SloAlertEventsTable;
  slo_annotations: SloAnnotationsTable;
  slo_budget_adjustments: SloBudgetAdjustmentsTable;
}
