import type { Contact } from "../oncall/model.js";
import { tryParseDuration } from "../slo/duration.js";
import { checkHttpStatus } from "./delivery-error.js";
import type { DestinationGuard } from "./destination-guard.js";
import { SmtpError } from "./errors.js";
import { guardedHttp } from "./http-post.js";
import type { StoredNotification } from "./outbox.store.js";
import {
  alertmanagerAlert,
  emailContent,
  pagerDutyEvent,
  slackBody,
  webhookBody,
  webhookSignature,
} from "./payloads.js";
import type { Receiver } from "./receivers.js";
import { type SmtpSettings, sendMail } from "./smtp-client.js";

/** Where one attempt goes: a configured receiver, or one contact of a person. */
export type Destination =
  | {
      readonly kind: "webhook";
      readonly url: string;
      readonly secret?: string;
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: "slack"; readonly url: string }
  | { readonly kind: "pagerduty"; readonly routingKey: string; readonly baseUrl: string }
  | {
      readonly kind: "alertmanager";
      readonly url: string;
      readonly headers?: Record<string, string>;
      readonly validForMs: number;
    }
  | {
      readonly kind: "email";
      readonly to: readonly string[];
      readonly smtp: SmtpSettings | undefined;
      /** The SMTP host came from a receiver (user input), not from nines.yaml: guard it. */
      readonly guarded: boolean;
    };

export const PAGERDUTY_URL = "https://events.pagerduty.com";
const DAY_MS = 86_400_000;

export function receiverDestination(receiver: Receiver, smtp: SmtpSettings | undefined): Destination {
  switch (receiver.type) {
    case "webhook":
      return { kind: "webhook", ...receiver.config };
    case "slack":
      return { kind: "slack", url: receiver.config.url };
    case "pagerduty":
      return {
        kind: "pagerduty",
        routingKey: receiver.config.routingKey,
        baseUrl: receiver.config.baseUrl ?? PAGERDUTY_URL,
      };
    case "alertmanager":
      return {
        kind: "alertmanager",
        url: receiver.config.url,
        ...(receiver.config.headers ? { headers: receiver.config.headers } : {}),
        validForMs: tryParseDuration(receiver.config.validFor ?? "24h") ?? DAY_MS,
      };
    case "email": {
      const own = receiver.config.smtp;
      return {
        kind: "email",
        to: receiver.config.to,
        smtp: own ? { secure: false, startTls: true, ...own } : smtp,
        guarded: own !== undefined,
      };
    }
  }
}

/** A person's contact as a destination; kinds nines cannot send to (sms, phone, push) give undefined. */
export function contactDestination(
  contact: Contact,
  smtp: SmtpSettings | undefined,
): Destination | undefined {
  switch (contact.kind) {
    case "email":
      return { kind: "email", to: [contact.address], smtp, guarded: false };
    case "webhook":
      return { kind: "webhook", url: contact.address };
    case "chat":
      return { kind: "slack", url: contact.address };
    default:
      return undefined;
  }
}

export interface SenderOptions {
  readonly guard: DestinationGuard;
  readonly publicUrl?: string | undefined;
  /** Epoch milliseconds (the worker's clock). */
  readonly now: () => number;
  /** Time limit of one HTTP post (the receiver's answer head, and each pause in its body) and SMTP connect. */
  readonly timeoutMs: number;
  /** Extra TLS options for SMTP (tests). */
  readonly smtpTls?: import("node:tls").ConnectionOptions;
}

/**
 * The attempt a send runs in. Its `signal` is read only where nothing else bounds the send (SMTP):
 * reading it creates the attempt's AbortController.
 */
export interface SendAttempt {
  readonly signal: AbortSignal;
}

/** Sends one notification to one destination; returns the receiver's status or reply code. */
export function createSender(options: SenderOptions) {
  const http = guardedHttp(options.guard, { timeoutMs: options.timeoutMs });
  const postJson = async (
    label: string,
    url: string,
    body: unknown,
    headers: Record<string, string>,
    ok?: (status: number) => boolean,
  ) => {
    const text = JSON.stringify(body);
    const answer = await http.post(url, text, headers);
    const retryAfter = answer.headers["retry-after"];
    checkHttpStatus(
      label,
      answer.status,
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      answer.body,
      ok,
    );
    return answer.status;
  };

  return {
    async send(
      destination: Destination,
      notification: StoredNotification,
      attempt: SendAttempt,
    ): Promise<number> {
      const { message } = notification;
      switch (destination.kind) {
        case "webhook": {
          const body = JSON.stringify(webhookBody(notification.id, notification.dedupKey, message));
          const timestamp = String(Math.floor(options.now() / 1000));
          const headers: Record<string, string> = {
            ...destination.headers,
            "idempotency-key": notification.dedupKey,
            "x-nines-timestamp": timestamp,
            "x-nines-event": message.event,
          };
          if (destination.secret)
            headers["x-nines-signature"] = webhookSignature(destination.secret, timestamp, body);
          const answer = await http.post(destination.url, body, headers);
          const retryAfter = answer.headers["retry-after"];
          checkHttpStatus(
            "webhook",
            answer.status,
            Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            answer.body,
          );
          return answer.status;
        }
        case "slack":
          return postJson("Slack", destination.url, slackBody(message), {});
        case "pagerduty":
          return postJson(
            "PagerDuty",
            `${destination.baseUrl.replace(/\/+$/, "")}/v2/enqueue`,
            pagerDutyEvent(destination.routingKey, message, options.publicUrl),
            {},
            (status) => status === 202 || status === 200,
          );
        case "alertmanager":
          return postJson(
            "Alertmanager",
            `${destination.url.replace(/\/+$/, "")}/api/v2/alerts`,
            [alertmanagerAlert(message, options.now(), destination.validForMs)],
            destination.headers ?? {},
          );
        case "email": {
          if (!destination.smtp)
            throw new SmtpError(
              "email needs SMTP settings: set notifications.smtp in nines.yaml or smtp in the receiver",
            );
          const content = emailContent(message);
          const settings = destination.smtp;
          if (destination.guarded) options.guard.checkLiteral(settings.host);
          return sendMail(
            settings,
            {
              to: destination.to,
              subject: content.subject,
              text: content.text,
              headers: {
                "Message-ID": `<nines.${notification.id}.${Buffer.from(notification.dedupKey).toString("hex").slice(0, 64)}@nines>`,
                "X-Nines-Dedup-Key": notification.dedupKey.replace(/[^\x20-\x7e]/g, "?"),
                "X-Nines-Event": message.event,
              },
            },
            {
              signal: attempt.signal,
              ...(destination.guarded ? { lookup: options.guard.lookup } : {}),
              ...(options.smtpTls ? { tls: options.smtpTls } : {}),
            },
          );
        }
      }
    },
    close: () => http.close(),
  };
}

export type Sender = ReturnType<typeof createSender>;
