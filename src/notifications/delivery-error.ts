import { isNinesError } from "../errors/index.js";
import { isNetworkError } from "../resilience/retryable.js";
import { DeliveryFailedError } from "./errors.js";

/** How a failed attempt is treated: retried later (with backoff) or failed at once. */
export interface DeliveryFailure {
  /** The receiver's HTTP status or SMTP reply code, when it answered. */
  readonly status?: number;
  /** A permanent failure (a 4xx answer, a blocked address, a missing receiver) is not retried. */
  readonly permanent: boolean;
  /** The receiver asked to wait this long (Retry-After). */
  readonly retryAfterMs?: number;
}

/** An attempt that failed, with the receiver's answer and whether to retry. */
export function deliveryError(message: string, failure: DeliveryFailure) {
  return new DeliveryFailedError(message, failure);
}

/** Classifies any error an attempt threw. */
export function failureOf(error: unknown): DeliveryFailure {
  if (isNinesError(error)) {
    if (error.code === DeliveryFailedError.code) return error.details as DeliveryFailure;
    // Timeouts and an open breaker are transient; every other nines error (blocked address,
    // invalid configuration, missing receiver or SMTP settings) will not fix itself.
    if (error.code === "NINES_ERR_RESILIENCE_TIMEOUT" || error.code === "NINES_ERR_RESILIENCE_CIRCUIT_OPEN")
      return { permanent: false };
    return { permanent: true };
  }
  if (isNetworkError(error)) return { permanent: false };
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
    return { permanent: false };
  // Unknown socket errors (TLS failures, DNS NXDOMAIN…) are retried: they may be transient.
  return { permanent: false };
}

/** A short text for the attempt log. Never contains request bodies or secrets. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text =
      typeof code === "string" && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
    return text.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/**
 * Classifies an HTTP answer: `ok` statuses succeed; 408, 425, 429 and 5xx are retried (honouring
 * Retry-After); any other status, redirects included (they are never followed), is permanent.
 */
export function checkHttpStatus(
  receiver: string,
  status: number,
  retryAfter: string | undefined,
  body: string,
  ok: (status: number) => boolean = (s) => s >= 200 && s < 300,
): void {
  if (ok(status)) return;
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const retryAfterMs = retryable ? parseRetryAfterMs(retryAfter) : undefined;
  const snippet = body.replace(/\s+/g, " ").trim().slice(0, 200);
  throw deliveryError(`${receiver} answered ${status}${snippet ? `: ${snippet}` : ""}`, {
    status,
    permanent: !retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
