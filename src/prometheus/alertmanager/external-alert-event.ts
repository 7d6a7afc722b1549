import type { WebhookAlert, WebhookPayload } from "./webhook-payload.js";

/** An alert raised outside nines (here by Prometheus through Alertmanager), as nines records it. */
export interface ExternalAlertEvent {
  readonly source: "alertmanager";
  /** Alertmanager's fingerprint of the label set: stable across firing and resolved. */
  readonly fingerprint: string;
  readonly state: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** ISO 8601. */
  readonly startsAt: string;
  /** ISO 8601; absent while Alertmanager knows no end (it sends `0001-01-01T00:00:00Z`). */
  readonly endsAt?: string;
  readonly generatorUrl?: string;
  readonly receiver: string;
  readonly groupKey: string;
}

const ZERO_TIME = /^0001-01-01T00:00:00/;

function toEvent(alert: WebhookAlert, payload: WebhookPayload): ExternalAlertEvent {
  return {
    source: "alertmanager",
    fingerprint: alert.fingerprint,
    state: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    ...(ZERO_TIME.test(alert.endsAt) ? {} : { endsAt: alert.endsAt }),
    ...(alert.generatorURL === "" ? {} : { generatorUrl: alert.generatorURL }),
    receiver: payload.receiver,
    groupKey: payload.groupKey,
  };
}

/**
 * Turns one webhook notification into one event per alert. Each alert's own `status` counts,
 * not the group's: a group that is still firing may carry alerts that have resolved.
 */
export function webhookToEvents(payload: WebhookPayload): readonly ExternalAlertEvent[] {
  return payload.alerts.map((alert) => toEvent(alert, payload));
}
