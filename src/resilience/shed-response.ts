import { isNinesError } from "../errors/index.js";
import { NO_RETRY_HEADER } from "./headers.js";

/** What a server answers when it sheds a request or its propagated deadline is spent. */
export interface RejectionResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** nines' API error shape: `{ error: { code, message, details } }`. */
  readonly body: {
    readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
  };
}

/**
 * The response for a resilience error raised on the server: its status, `Retry-After` for
 * shed requests, and the `nines-no-retry: 1` marker so that callers' retry loops stop here
 * instead of multiplying load across layers.
 */
export function rejectionResponse(error: unknown): RejectionResponse {
  const code = isNinesError(error) ? error.code : "NINES_ERR_RESILIENCE_SHED";
  const statusCode = isNinesError(error) ? error.statusCode : 503;
  const message = error instanceof Error ? error.message : "server is overloaded";
  const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  const headers: Record<string, string> = {
    [NO_RETRY_HEADER]: "1",
    "content-type": "application/json; charset=utf-8",
  };
  if (typeof retryAfter === "number") headers["retry-after"] = String(Math.ceil(retryAfter));
  const details = isNinesError(error) ? error.details : undefined;
  return {
    statusCode,
    headers,
    body: { error: details === undefined ? { code, message } : { code, message, details } },
  };
}
