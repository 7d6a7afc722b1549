import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Config } from "../config/config-schema.js";
import type { Database } from "../db/database.js";
import type { OncallDirectory } from "../oncall/directory.js";
import type { Clock } from "../resilience/clock.js";
import type { ResilienceEvents } from "../resilience/events.js";
import type { RandomSource } from "../resilience/random.js";
import { tryParseDuration } from "../slo/duration.js";
import { type DeliverySettings, type DeliveryWorker, deliveryWorker, epochClock } from "./delivery-worker.js";
import { type DestinationGuard, destinationGuard, type LookupFunction } from "./destination-guard.js";
import type { NotificationEvent, NotificationIntent } from "./notification.js";
import { type DeliveryFailedHook, type NotificationOutboxStore, notificationOutbox } from "./outbox.store.js";
import { type ReceiversStore, receiversStore } from "./receivers.store.js";
import { createSender, type Sender } from "./senders.js";
import type { SmtpSettings } from "./smtp-client.js";

export interface NotificationsDomain {
  readonly outbox: NotificationOutboxStore;
  readonly receivers: ReceiversStore;
  readonly guard: DestinationGuard;
  readonly worker: DeliveryWorker;
  readonly sender: Sender;
  readonly settings: DeliverySettings;
  /** Queues `count` test notifications to a receiver in one transaction; returns their subject. */
  enqueueTest(receiver: string, count: number, event: NotificationEvent): Promise<string>;
  close(): void;
}

export interface NotificationsDomainOptions {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly logger?: FastifyBaseLogger;
  readonly events?: ResilienceEvents;
  /** People for person targets; the on-call domain provides it. */
  readonly directory?: Pick<OncallDirectory, "person"> | undefined;
  readonly onDeliveryFailed?: DeliveryFailedHook | undefined;
  /** Epoch-millisecond clock and random source (simulated in tests). */
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** Name resolution for the destination guard (tests). */
  readonly lookup?: LookupFunction;
  /** TLS options for SMTP connections (tests trusting a self-signed server). */
  readonly smtpTls?: import("node:tls").ConnectionOptions;
}

export function deliverySettings(config: Config): DeliverySettings {
  const n = config.notifications;
  return {
    timeoutMs: n.timeoutMs,
    concurrency: n.concurrency,
    pollIntervalMs: n.pollIntervalMs,
    backoffBaseMs: n.backoffBaseMs,
    backoffCapMs: Math.max(n.backoffCapMs, n.backoffBaseMs),
    giveUpAfterMs: tryParseDuration(n.giveUpAfter) ?? 3_600_000,
    breakerThreshold: n.breakerThreshold,
    breakerHalfOpenMs: n.breakerHalfOpenMs,
  };
}

/** Receivers, the outbox and the delivery worker of one replica (the worker runs on the leader). */
export function createNotificationsDomain(options: NotificationsDomainOptions): NotificationsDomain {
  const { config, db } = options;
  const clock = options.clock ?? epochClock;
  const guard = destinationGuard({
    allowedHosts: config.notifications.allowedHosts,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const outbox = notificationOutbox(db, { now: () => clock.now() });
  const receivers = receiversStore(db);
  const smtpConfig = config.notifications.smtp;
  const smtp: SmtpSettings | undefined = smtpConfig ? { ...smtpConfig } : undefined;
  const settings = deliverySettings(config);
  const sender = createSender({
    guard,
    publicUrl: config.server.publicUrl,
    now: () => clock.now(),
    timeoutMs: settings.timeoutMs,
    ...(options.smtpTls ? { smtpTls: options.smtpTls } : {}),
  });
  const worker = deliveryWorker({
    outbox,
    receivers,
    directory: options.directory,
    sender,
    settings,
    smtp,
    clock,
    ...(options.random ? { random: options.random } : {}),
    ...(options.events ? { events: options.events } : {}),
    ...(options.logger ? { log: options.logger } : {}),
    onDeliveryFailed: options.onDeliveryFailed,
  });
  return {
    outbox,
    receivers,
    guard,
    worker,
    sender,
    settings,
    async enqueueTest(receiver, count, event) {
      const id = `test-${randomBytes(6).toString("hex")}`;
      const at = clock.now();
      const intents: NotificationIntent[] = Array.from({ length: count }, (_, i) => ({
        target: { type: "receiver", receiverId: receiver },
        dedupKey: `nines-test/${id}/${i}`,
        message: {
          event,
          subject: { kind: "signal", id },
          title:
            count === 1
              ? "Test notification from nines"
              : `Test notification ${i + 1} of ${count} from nines`,
          summary: `Sent with \`nines receiver test ${receiver}\` to check that this receiver works.`,
          service: "nines",
          severity: "info",
          outcome: "log",
          labels: { test: "true" },
          links: config.server.publicUrl ? [{ title: "nines", url: config.server.publicUrl }] : [],
          startsAt: at,
          ...(event === "resolve" ? { endsAt: at } : {}),
        },
      }));
      await db.transaction().execute((trx) => outbox.enqueue(trx, intents));
      return `signal:${id}`;
    },
    close: () => sender.close(),
  };
}
