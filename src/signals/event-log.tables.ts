import type { Generated } from "kysely";

/** The event log: signals classified as logs (and anything else worth keeping for analysis). */
export interface EventLogTable {
  id: Generated<number>;
  at: number;
  source: string;
  service: string;
  title: string;
  text: string;
  /** Labels as a JSON object of strings, written by JSON.stringify (no spaces). */
  labels: string;
  fingerprint: string | null;
  rule: string | null;
}

export interface EventLogTables {
  event_log: EventLogTable;
}
