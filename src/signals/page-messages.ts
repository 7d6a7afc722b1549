import type {
  NotificationEvent,
  NotificationIntent,
  NotificationMessage,
} from "../notifications/notification.js";
import type { StoredPage } from "./signals.store.js";

/** The notification message about a page. */
export function pageMessage(
  page: StoredPage,
  event: NotificationEvent,
  actions?: NotificationMessage["actions"],
): NotificationMessage {
  const verb =
    event === "acknowledge"
      ? `acknowledged by ${page.ackedBy ?? "someone"}`
      : event === "resolve"
        ? `resolved by ${page.resolvedBy ?? "someone"}`
        : "needs a human now";
  return {
    event,
    subject: { kind: "page", id: String(page.id) },
    title: `[PAGE #${page.id}] ${page.title}`,
    summary: `${page.description ?? page.title} (${page.service}: ${verb})`,
    service: page.service,
    ...(page.team === null ? {} : { team: page.team }),
    severity: page.severity,
    outcome: "page",
    labels: page.labels,
    links: page.links,
    startsAt: page.createdAt,
    ...(page.resolvedAt === null ? {} : { endsAt: page.resolvedAt }),
    ...(actions === undefined ? {} : { actions }),
  };
}

/**
 * The intents an acknowledgement or resolution of a page queues: its route's receiver and every
 * person its escalation has notified, so whoever was woken learns that someone has it.
 */
export function pageEventIntents(
  page: StoredPage,
  event: "acknowledge" | "resolve",
  sent: readonly { readonly personId: string | null }[],
): NotificationIntent[] {
  const message = pageMessage(page, event);
  const people = [...new Set(sent.map((s) => s.personId).filter((p): p is string => p !== null))];
  return [
    ...(page.receiver === null
      ? []
      : [
          {
            target: { type: "receiver" as const, receiverId: page.receiver },
            dedupKey: `page:${page.id}:${event}`,
            message,
          },
        ]),
    ...people.map((personId) => ({
      target: { type: "person" as const, personId },
      dedupKey: `page:${page.id}:${event}:${personId}`,
      message,
    })),
  ];
}
