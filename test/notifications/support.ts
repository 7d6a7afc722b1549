import type { NotificationIntent, NotificationMessage } from "../../src/notifications/notification.js";
import {
  createNotificationsDomain,
  type NotificationsDomainOptions,
} from "../../src/notifications/notifications-domain.js";
import type { ReceiverInput } from "../../src/notifications/receivers.store.js";
import { type ConfigOverrides, configWith } from "../support/config-overrides.js";
import type { TestDatabase } from "../support/databases.js";

export function message(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    event: "trigger",
    subject: { kind: "page", id: "42" },
    title: "checkout error budget burning fast",
    summary: "14.4× burn over 1h and 5m: 2% of the 30-day budget spent in an hour.",
    service: "checkout",
    team: "payments",
    severity: "critical",
    outcome: "page",
    labels: { service: "checkout", slo: "availability", "app.kubernetes.io/name": "checkout" },
    links: [{ title: "SLO", url: "https://nines.example.com/slos/checkout/availability" }],
    startsAt: Date.parse("2026-03-02T10:00:00Z"),
    actions: {
      acknowledgeUrl: "https://nines.example.com/api/v1/pages/42/ack?sig=abc",
      resolveUrl: "https://nines.example.com/api/v1/pages/42/resolve?sig=abc",
    },
    ...overrides,
  };
}

export const toReceiver = (name: string, dedupKey: string, m = message()): NotificationIntent => ({
  target: { type: "receiver", receiverId: name },
  dedupKey,
  message: m,
});

/** The notifications domain on a test database, allowed to reach 127.0.0.1. */
export function testDomain(
  database: TestDatabase,
  overrides: ConfigOverrides = {},
  options: Partial<NotificationsDomainOptions> = {},
) {
  const config = configWith({
    ...overrides,
    notifications: { allowedHosts: ["127.0.0.1"], backoffBaseMs: 1_000, ...overrides.notifications },
  });
  return createNotificationsDomain({ config, db: database.handle.db, ...options });
}

export async function addReceiver(domain: ReturnType<typeof testDomain>, input: ReceiverInput) {
  return domain.receivers.create(input, "test");
}
