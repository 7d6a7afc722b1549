import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";

/**
 * What other domains hand to the notification outbox. A state change (a page triggers, is
 * acknowledged or resolved; a ticket is raised) writes its intents in the same transaction as the
 * change itself, so a crash can neither lose the notification nor send one for a change that was
 * rolled back.
 */
export type NotificationEvent =
  | "trigger"
  | "acknowledge"
  | "resolve"
  | "escalate"
  | "ticket"
  | "delivery-failed";

export interface NotificationSubject {
  readonly kind: "page" | "ticket" | "signal" | "incident";
  readonly id: string;
}

export interface NotificationMessage {
  readonly event: NotificationEvent;
  readonly subject: NotificationSubject;
  readonly title: string;
  readonly summary: string;
  readonly service: string;
  readonly team?: string;
  /** The sender's severity word ("critical", "page", …). */
  readonly severity: string;
  readonly outcome: "page" | "ticket" | "log";
  readonly labels: Readonly<Record<string, string>>;
  readonly links: readonly { readonly title?: string; readonly url: string }[];
  readonly startsAt: number;
  readonly endsAt?: number;
  /** Signed one-click links for the recipient (pages only). */
  readonly actions?: { readonly acknowledgeUrl?: string; readonly resolveUrl?: string };
}

/** A configured receiver (webhook, Slack, PagerDuty, Alertmanager, email), or a person reached through their contacts. */
export type NotificationTarget =
  | { readonly type: "receiver"; readonly receiverId: string }
  | { readonly type: "person"; readonly personId: string };

export interface NotificationIntent {
  readonly target: NotificationTarget;
  /**
   * Stable across retries and redeliveries: receivers that deduplicate (PagerDuty's dedup_key, the
   * webhook's Idempotency-Key) see the same key for the same logical notification.
   */
  readonly dedupKey: string;
  readonly message: NotificationMessage;
}

export interface NotificationOutbox {
  /** Queues the intents inside the caller's transaction (`trx` is a Kysely transaction). */
  enqueue(trx: Kysely<Database>, intents: readonly NotificationIntent[]): Promise<void>;
}
