import { Type } from "typebox";

/** The `signals` fields for tickets and the event log (spread into the section's schema). */
export const ticketsConfigProperties = {
  ticketDueDays: Type.Number({
    exclusiveMinimum: 0,
    maximum: 365,
    default: 3,
    description:
      "Days a ticket has before it is overdue, unless its routing rule or its author sets a due date.",
  }),
  logRetentionDays: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 30,
    description: "Days the event log keeps an entry; the leader deletes older ones hourly.",
  }),
};
