/** Ticket statuses: work to do within days, then done or deliberately not done. */
export type TicketStatus = "open" | "in-progress" | "done" | "wont-do";
export const TICKET_STATUSES: readonly TicketStatus[] = ["open", "in-progress", "done", "wont-do"];

/** p1 is the most urgent. */
export type TicketPriority = "p1" | "p2" | "p3" | "p4";
export const TICKET_PRIORITIES: readonly TicketPriority[] = ["p1", "p2", "p3", "p4"];

/** Open and in-progress tickets are active; done and won't-do are closed. */
export function isClosed(status: TicketStatus): boolean {
  return status === "done" || status === "wont-do";
}

const NEXT: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ["in-progress", "done", "wont-do"],
  "in-progress": ["open", "done", "wont-do"],
  done: ["open"],
  "wont-do": ["open"],
};

/** True when a ticket may go from `from` to `to`: active tickets move freely, a closed one can only be reopened. */
export function ticketTransitionAllowed(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

/** An active ticket whose due date has passed. */
export function isOverdue(ticket: { status: TicketStatus; dueAt: number }, now: number): boolean {
  return !isClosed(ticket.status) && ticket.dueAt <= now;
}

/** The more urgent of two priorities. */
export function morePressing(a: TicketPriority, b: TicketPriority): TicketPriority {
  return a < b ? a : b;
}
