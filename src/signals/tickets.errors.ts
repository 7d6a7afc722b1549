import { defineError } from "../errors/index.js";

export const TicketNotFoundError = defineError(
  "NINES_ERR_SIGNALS_TICKET_NOT_FOUND",
  404,
  "No ticket with this id.",
);
export const TicketTransitionInvalidError = defineError(
  "NINES_ERR_SIGNALS_TICKET_TRANSITION_INVALID",
  409,
  "A ticket cannot move to the asked status from its current one (a closed ticket can only be reopened), or reopening it would give its fingerprint a second open ticket.",
);
