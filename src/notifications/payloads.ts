import { createHmac } from "node:crypto";
import type { PostableAlert } from "../prometheus/alertmanager/postable-alert.js";
import type { NotificationMessage } from "./notification.js";

/**
 * The bodies each receiver type gets, as pure functions of the message (documented in
 * docs/notifications.md; the tests' fake receivers validate them as the real APIs do).
 */

/** Body of a generic webhook: stable for a notification, so retries send the same bytes' meaning. */
export interface WebhookBody {
  readonly version: "1";
  /** The outbox id of this notification. */
  readonly id: number;
  readonly dedupKey: string;
  readonly message: NotificationMessage;
}

export function webhookBody(id: number, dedupKey: string, message: NotificationMessage): WebhookBody {
  return { version: "1", id, dedupKey, message };
}

/** `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the receiver's secret (Stripe-style). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const EVENT_WORDS: Record<NotificationMessage["event"], string> = {
  trigger: "Triggered",
  acknowledge: "Acknowledged",
  resolve: "Resolved",
  escalate: "Escalated",
  ticket: "Ticket",
  "delivery-failed": "Delivery failed",
};

export function headline(message: NotificationMessage): string {
  return `[${EVENT_WORDS[message.event]}] ${message.title}`;
}

/** Escapes Slack's three control characters in mrkdwn text. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A Slack incoming-webhook body: `text` (notification fallback) plus Block Kit blocks: a header
 * (plain text ≤ 150), a section with the summary (≤ 3000) and up to 10 fields (≤ 2000 each), the
 * links as context, and buttons (≤ 5, URL ≤ 3000) to acknowledge and resolve.
 */
export function slackBody(message: NotificationMessage) {
  const fields = [
    ["Service", message.service],
    ["Severity", message.severity],
    ["Outcome", message.outcome],
    ...(message.team ? [["Team", message.team]] : []),
    ["Subject", `${message.subject.kind} ${message.subject.id}`],
    ["Since", new Date(message.startsAt).toISOString()],
    ...(message.endsAt !== undefined ? [["Ended", new Date(message.endsAt).toISOString()]] : []),
  ]
    .slice(0, 10)
    .map(([k, v]) => ({ type: "mrkdwn", text: truncate(`*${k}*\n${slackEscape(v ?? "")}`, 2000) }));
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: truncate(headline(message), 150), emoji: true } },
    {
      type: "section",
      text: { type: "mrkdwn", text: truncate(slackEscape(message.summary || message.title), 3000) },
      fields,
    },
  ];
  const links = message.links.filter((l) => /^https?:\/\//.test(l.url)).slice(0, 9);
  if (links.length > 0)
    blocks.push({
      type: "context",
      elements: links.map((l) => ({
        type: "mrkdwn",
        text: truncate(`<${l.url}|${slackEscape(l.title ?? l.url).replace(/\|/g, "¦")}>`, 3000),
      })),
    });
  const buttons: Record<string, unknown>[] = [];
  if (message.actions?.acknowledgeUrl && message.event !== "resolve" && message.event !== "acknowledge")
    buttons.push({
      type: "button",
      action_id: "nines-acknowledge",
      text: { type: "plain_text", text: "Acknowledge" },
      url: message.actions.acknowledgeUrl,
      style: "primary",
    });
  if (message.actions?.resolveUrl && message.event !== "resolve")
    buttons.push({
      type: "button",
      action_id: "nines-resolve",
      text: { type: "plain_text", text: "Resolve" },
      url: message.actions.resolveUrl,
    });
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  return { text: truncate(`${headline(message)} (${message.service})`, 3000), blocks };
}

export type PagerDutySeverity = "critical" | "error" | "warning" | "info";

/** Maps a sender's severity word onto PagerDuty's four; unknown words fall back by outcome. */
export function pagerDutySeverity(
  message: Pick<NotificationMessage, "severity" | "outcome">,
): PagerDutySeverity {
  const word = message.severity.toLowerCase();
  if (/^(critical|crit|page|p0|p1|sev0|sev1|emergency|fatal|disaster|high)$/.test(word)) return "critical";
  if (/^(error|err|major|p2|sev2)$/.test(word)) return "error";
  if (/^(warning|warn|ticket|minor|medium|p3|sev3)$/.test(word)) return "warning";
  if (/^(info|informational|low|log|notice|debug|p4|p5|sev4|sev5|none)$/.test(word)) return "info";
  return message.outcome === "page" ? "critical" : message.outcome === "ticket" ? "warning" : "info";
}

/** PagerDuty's dedup_key: per subject, so a trigger, its acknowledgement and its resolve find the same incident. */
export function pagerDutyDedupKey(message: NotificationMessage): string {
  return truncate(`nines/${message.subject.kind}/${message.subject.id}`, 255);
}

/**
 * An Events API v2 event (`POST /v2/enqueue`): trigger for trigger/escalate/ticket/delivery-failed,
 * acknowledge and resolve by dedup_key. A trigger carries the payload (summary ≤ 1024 chars,
 * source, severity, timestamp, custom_details) and links.
 */
export function pagerDutyEvent(routingKey: string, message: NotificationMessage, publicUrl?: string) {
  const action =
    message.event === "acknowledge" ? "acknowledge" : message.event === "resolve" ? "resolve" : "trigger";
  const base = { routing_key: routingKey, event_action: action, dedup_key: pagerDutyDedupKey(message) };
  if (action !== "trigger") return base;
  const links = message.links
    .filter((l) => /^https?:\/\//.test(l.url))
    .map((l) => ({ href: l.url, ...(l.title ? { text: l.title } : {}) }));
  return {
    ...base,
    payload: {
      summary: truncate(`${message.title}${message.summary ? `: ${message.summary}` : ""}`, 1024),
      source: truncate(message.service || "nines", 255),
      severity: pagerDutySeverity(message),
      timestamp: new Date(message.startsAt).toISOString(),
      component: message.service,
      ...(message.team ? { group: message.team } : {}),
      class: message.outcome,
      custom_details: {
        event: message.event,
        subject: `${message.subject.kind}/${message.subject.id}`,
        severity: message.severity,
        labels: message.labels,
        ...(message.actions?.acknowledgeUrl ? { acknowledge_url: message.actions.acknowledgeUrl } : {}),
        ...(message.actions?.resolveUrl ? { resolve_url: message.actions.resolveUrl } : {}),
      },
    },
    client: "nines",
    ...(publicUrl ? { client_url: publicUrl } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const labelName = (name: string) => {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, "_");
  return LABEL_NAME.test(cleaned) ? cleaned : `_${cleaned}`;
};

/**
 * One Alertmanager postable alert. Firing alerts carry `endsAt` = now + `validForMs`, so the alert
 * stays active until nines' resolve (which the outbox keeps until delivered) sets `endsAt`.
 */
export function alertmanagerAlert(
  message: NotificationMessage,
  now: number,
  validForMs: number,
): PostableAlert {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.labels)) if (v !== "") labels[labelName(k)] = v;
  Object.assign(labels, {
    alertname: labels["alertname"] ?? message.title,
    service: message.service,
    severity: message.severity,
    nines_subject: `${message.subject.kind}/${message.subject.id}`,
    nines_outcome: message.outcome,
    ...(message.team ? { team: message.team } : {}),
  });
  const resolved = message.event === "resolve";
  const endsAt = resolved ? (message.endsAt ?? now) : now + validForMs;
  const link = message.links.find((l) => /^https?:\/\//.test(l.url));
  return {
    labels,
    annotations: {
      summary: message.title,
      ...(message.summary ? { description: message.summary } : {}),
      ...(message.actions?.acknowledgeUrl ? { acknowledge_url: message.actions.acknowledgeUrl } : {}),
    },
    startsAt: new Date(message.startsAt).toISOString(),
    endsAt: new Date(Math.max(endsAt, message.startsAt)).toISOString(),
    ...(link ? { generatorURL: link.url } : {}),
  };
}

/** Plain-text email: subject line and body. */
export function emailContent(message: NotificationMessage) {
  const lines = [
    headline(message),
    "",
    message.summary,
    "",
    `Service:  ${message.service}`,
    `Severity: ${message.severity} (${message.outcome})`,
    ...(message.team ? [`Team:     ${message.team}`] : []),
    `Subject:  ${message.subject.kind} ${message.subject.id}`,
    `Since:    ${new Date(message.startsAt).toISOString()}`,
    ...(message.endsAt !== undefined ? [`Ended:    ${new Date(message.endsAt).toISOString()}`] : []),
    ...Object.entries(message.labels).map(([k, v]) => `  ${k}=${v}`),
    "",
    ...message.links.map((l) => `${l.title ?? "Link"}: ${l.url}`),
    ...(message.actions?.acknowledgeUrl ? [`Acknowledge: ${message.actions.acknowledgeUrl}`] : []),
    ...(message.actions?.resolveUrl ? [`Resolve: ${message.actions.resolveUrl}`] : []),
  ];
  return { subject: truncate(`${headline(message)} · ${message.service}`, 200), text: lines.join("\n") };
}
