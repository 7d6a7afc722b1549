import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { TicketFromSignal } from "../signals/tickets.store.js";
import type { DeliveryFailedHook, StoredNotification } from "./outbox.store.js";

/**
 * A notification that could not be delivered is raised as a ticket to the team it was for, in the
 * transaction that marks it failed. One open ticket per broken destination: later failures to the
 * same receiver or person link to it instead of opening more.
 */
export function deliveryFailureTickets(tickets: {
  openFromSignal(trx: Kysely<Database>, input: TicketFromSignal, now?: number): Promise<string>;
}): DeliveryFailedHook {
  return async (trx, delivery) => {
    await tickets.openFromSignal(trx, failureTicket(delivery));
  };
}

export function failureTicket(delivery: StoredNotification): TicketFromSignal {
  const { target, message } = delivery;
  const destination =
    target.type === "receiver" ? `receiver "${target.receiverId}"` : `person "${target.personId}"`;
  return {
    fingerprint: `notification-failed:${target.type}:${target.type === "receiver" ? target.receiverId : target.personId}`,
    ...(message.team === undefined ? {} : { team: message.team }),
    service: message.service,
    title: `Notifications to ${destination} are failing`,
    description: [
      `Notification ${delivery.id} (${message.event} of ${message.subject.kind} ${message.subject.id}: ${message.title}) was not delivered after ${delivery.attempts} attempt(s).`,
      delivery.lastError ? `Last error: ${delivery.lastError}` : "",
      `See GET /api/v1/notifications/${delivery.id} for every attempt.`,
    ]
      .filter((line) => line !== "")
      .join("\n"),
    priority: "p2",
    rule: "notification-delivery-failed",
  };
}
