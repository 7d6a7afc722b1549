import type { Generated } from "kysely";

/** Configured receivers, by unique name. `config` is JSON including secrets; never returned unmasked. */
export interface NotificationReceiversTable {
  name: string;
  type: string;
  config: string;
  description: string | null;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

/** The outbox: one row per notification intent, written in the transaction of the change that caused it. */
export interface NotificationsTable {
  id: Generated<number>;
  dedup_key: string;
  /** "receiver" or "person". */
  target_type: string;
  /** Receiver name or person id. */
  target_ref: string;
  subject_kind: string;
  subject_id: string;
  event: string;
  /** The NotificationMessage, JSON. */
  message: string;
  /** pending, delivered or failed. */
  status: string;
  attempts: number;
  created_at: number;
  /** When the worker may next try; stored so that a restart keeps the backoff schedule. */
  next_attempt_at: number;
  delivered_at: number | null;
  failed_at: number | null;
  last_error: string | null;
  /** JSON array of contact keys already reached (person targets: each contact is delivered once). */
  progress: string | null;
}

/** Every delivery attempt and the receiver's answer. */
export interface NotificationAttemptsTable {
  id: Generated<number>;
  notification_id: number;
  attempt: number;
  at: number;
  /** Receiver name, or `person:<id> <kind>:<address>` for a person's contact. */
  receiver: string;
  /** success, retry, failed or skipped. */
  outcome: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface NotificationTables {
  notification_receivers: NotificationReceiversTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
}
