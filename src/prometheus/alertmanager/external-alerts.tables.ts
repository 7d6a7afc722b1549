import type { Generated } from "kysely";

/** Alerts received from Alertmanager, one row per received state of an alert. */
export interface ExternalAlertEventsTable {
  id: Generated<number>;
  source: string;
  fingerprint: string;
  state: string;
  labels: string;
  annotations: string;
  starts_at: string;
  ends_at: string | null;
  receiver: string;
  group_key: string;
  received_at: number;
}

export interface ExternalAlertTables {
  external_alert_events: ExternalAlertEventsTable;
}
