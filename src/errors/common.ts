import { defineError } from "./define-error.js";

export const ValidationError = defineError(
  "NINES_ERR_REQUEST_INVALID",
  400,
  "A request body, query or parameter does not match its schema; `details` lists each field and what is wrong.",
);
export const BadJsonError = defineError(
  "NINES_ERR_REQUEST_BAD_JSON",
  400,
  "The request body is not valid JSON.",
);
export const PayloadTooLargeError = defineError(
  "NINES_ERR_REQUEST_TOO_LARGE",
  413,
  "The request body is larger than `server.bodyLimit` bytes.",
);
export const UnsupportedMediaTypeError = defineError(
  "NINES_ERR_REQUEST_MEDIA_TYPE",
  415,
  "The request's Content-Type is not one the route accepts.",
);
export const NotFoundError = defineError(
  "NINES_ERR_REQUEST_NOT_FOUND",
  404,
  "No route or resource at this path.",
);
export const InternalError = defineError(
  "NINES_ERR_SERVER_INTERNAL",
  500,
  "An unexpected failure inside nines; the log has the details under the request id.",
);
