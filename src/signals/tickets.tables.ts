import type { Generated } from "kysely";

/** A ticket: work a human must do within days (SRE book ch. 1), queued per team. */
export interface TicketsTable {
  id: Generated<number>;
  team: string | null;
  service: string;
  title: string;
  description: string;
  /** p1 (most urgent) … p4. */
  priority: string;
  /** open, in-progress, done or wont-do. */
  status: string;
  assignee: string | null;
  due_at: number;
  /** The signals' deduplication key; null for a ticket made by hand without one. */
  fingerprint: string | null;
  /**
   * The fingerprint while the ticket is open or in progress, null once closed: its unique index
   * keeps one open ticket per fingerprint even under concurrent writers.
   */
  open_fingerprint: string | null;
  /** The routing rule that made the signal a ticket, when it came from one. */
  rule: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

/** The signals a ticket was raised for (the first and every repeat with the same fingerprint). */
export interface TicketSignalsTable {
  id: Generated<number>;
  ticket_id: number;
  signal_id: string | null;
  fingerprint: string;
  linked_at: number;
}

/** A ticket's activity: comments by people and the changes they made. */
export interface TicketCommentsTable {
  id: Generated<number>;
  ticket_id: number;
  at: number;
  author: string;
  /** "comment" or "change". */
  kind: string;
  body: string;
}

export interface TicketTables {
  tickets: TicketsTable;
  ticket_signals: TicketSignalsTable;
  ticket_comments: TicketCommentsTable;
}
