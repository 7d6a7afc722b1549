import type { Generated } from "kysely";

/** Every version of the routing config; the highest version is the one in force. */
export interface SignalRoutingConfigsTable {
  version: number;
  /** The config as submitted (RoutingConfigInput) as JSON. */
  config_json: string;
  created_at: number;
  created_by: string;
}

/** What a signal said and how it was classified: the columns `signals` and `signal_events` share. */
interface SignalColumns {
  fingerprint: string;
  source: string;
  service: string;
  team: string | null;
  title: string;
  description: string | null;
  severity: string;
  labels: string;
  links: string;
  starts_at: number;
  ends_at: number | null;
  outcome: string;
  rule_path: string;
  rule_name: string;
  group_key: string | null;
  /** "silenced" | "inhibited" | "maintenance" while held back, else null. */
  muted_reason: string | null;
  muted_by: string | null;
}

/** The current state of each signal, by fingerprint (the deduplication key). */
export interface SignalsTable extends SignalColumns {
  /** "firing" or "resolved". */
  status: string;
  first_seen_at: number;
  last_seen_at: number;
  received: number;
  resolved_at: number | null;
  /** The page or ticket opened for the current firing episode. */
  page_id: number | null;
  ticket_id: string | null;
}

/** Every signal as received, with its classification: the audit trail behind `signals`. */
export interface SignalEventsTable extends SignalColumns {
  id: Generated<number>;
  received_at: number;
}

export interface PagesTable {
  id: Generated<number>;
  fingerprint: string;
  source: string;
  service: string;
  team: string | null;
  title: string;
  description: string | null;
  severity: string;
  labels: string;
  links: string;
  /** "triggered" | "acknowledged" | "resolved". */
  status: string;
  created_at: number;
  acked_at: number | null;
  acked_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  escalation_policy_id: string | null;
  route_path: string;
  route_name: string;
  receiver: string | null;
  /** When the escalation runner should look at the page again; null when it is done. */
  escalation_next_at: number | null;
  /** 1 actionable, 0 not, null not reviewed. */
  actionable: number | null;
  actionable_reason: string | null;
  reviewed_by: string | null;
}

/** Escalation notifications already queued per page (`attempt:step` keys of evaluateEscalation). */
export interface PageEscalationSentTable {
  page_id: number;
  key: string;
  person_id: string | null;
  sent_at: number;
}

/** The grouping state machine's open groups, one row each, so a restart keeps group timers. */
export interface SignalGroupsTable {
  key: string;
  state_json: string;
  next_flush_at: number;
}

/** Small named values of the signals domain: the grouping cursor, the link-signing secret. */
export interface SignalSettingsTable {
  name: string;
  value: string;
}

export interface SignalsTables {
  signal_routing_configs: SignalRoutingConfigsTable;
  signals: SignalsTable;
  signal_events: SignalEventsTable;
  pages: PagesTable;
  page_escalation_sent: PageEscalationSentTable;
  signal_groups: SignalGroupsTable;
  signal_settings: SignalSettingsTable;
}
