import { defineError } from "../errors/index.js";

export const UnauthenticatedError = defineError(
  "NINES_ERR_AUTH_UNAUTHENTICATED",
  401,
  "No token, or a token that is unknown, malformed or revoked. Send `Authorization: Bearer <token>`.",
);
export const ForbiddenError = defineError(
  "NINES_ERR_AUTH_FORBIDDEN",
  403,
  "The token is valid but its scope (read, write, admin) does not allow this request.",
);
export const CsrfError = defineError(
  "NINES_ERR_AUTH_CSRF",
  403,
  "A write authenticated by the session cookie came without an Origin (or Referer) of this server.",
);
export const TooManyFailuresError = defineError(
  "NINES_ERR_AUTH_TOO_MANY_FAILURES",
  429,
  "Too many failed authentications from this address; wait for `Retry-After` seconds.",
);
export const TokenNotFoundError = defineError(
  "NINES_ERR_AUTH_TOKEN_NOT_FOUND",
  404,
  "No API token with this id.",
);
