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

/** The sample log before migration 0010 (one row per SLO and timestamp); read, no longer written. */
export interface SliSamplesTable {
  seq: Generated<number>;
  slo_id: string;
  ts: number;
  good: number;
  total: number;
  received_at: number;
}

/**
 * The sample log (migration 0010): one row per accepted batch, its samples encoded by
 * `encodeBatch` (src/tsdb/sample-batch.ts). Every replica follows it by `seq`.
 */
export interface SliSampleBatchesTable {
  seq: Generated<number>;
  received_at: number;
  /** Smallest and largest sample timestamp in the batch, to skip batches when looking up old samples. */
  min_ts: number;
  max_ts: number;
  samples: number;
  payload: Uint8Array;
}

/**
 * One SLO's samples from the compacted batches `(from_seq, to_seq]`, latest value per timestamp,
 * so that one SLO's history is read without scanning the whole log.
 */
export interface SliSampleChunksTable {
  slo_id: string;
  from_seq: number;
  to_seq: number;
  min_ts: number;
  max_ts: number;
  samples: number;
  payload: Uint8Array;
}

/** One row (id 1): the log position up to which batches were compacted into chunks. */
export interface SliLogStateTable {
  id: number;
  compacted_seq: number;
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
  sli_sample_batches: SliSampleBatchesTable;
  sli_sample_chunks: SliSampleChunksTable;
  sli_log_state: SliLogStateTable;
  sli_counter_readings: SliCounterReadingsTable;
  slo_alert_events: SloAlertEventsTable;
  slo_annotations: SloAnnotationsTable;
  slo_budget_adjustments: SloBudgetAdjustmentsTable;
}
