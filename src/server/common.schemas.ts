import { Type } from "typebox";

/** The error body every failing API call answers with. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: "Stable code, listed in docs/errors.md",
        examples: ["NINES_ERR_REQUEST_INVALID"],
      }),
      message: Type.String(),
      details: Type.Unknown(),
    }),
  },
  { $id: "ErrorResponse" },
);

/** Standard error responses to spread into a route's `response` schema. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  429: ErrorResponse,
} as const;
