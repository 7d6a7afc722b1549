import { defineError } from "../errors/index.js";

export const PageNotFoundError = defineError("NINES_ERR_PAGES_NOT_FOUND", 404, "No page with this id.");
export const PageStateConflictError = defineError(
  "NINES_ERR_PAGES_STATE_CONFLICT",
  409,
  "The page cannot change this way from its current status (acknowledge a resolved page, mark an open page actionable).",
);
export const PageLinkInvalidError = defineError(
  "NINES_ERR_PAGES_LINK_INVALID",
  403,
  "A one-click acknowledge or resolve link has a wrong signature or has expired.",
);
export const SignalNotFoundError = defineError(
  "NINES_ERR_SIGNALS_NOT_FOUND",
  404,
  "No signal with this fingerprint has been received.",
);
