import { isNinesError } from "../errors/index.js";
import { type HeaderSource, NO_RETRY_HEADER, readHeader } from "./headers.js";
import { parseRetryAfter } from "./retry-after.js";

/** The result of one attempt. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Whether to retry an outcome, and how long the server asked us to wait. */
export interface RetryDecision {
  readonly retry: boolean;
  /** From `Retry-After`: the next wait is at least this long. */
  readonly retryAfterMs?: number;
  /** The callee marked the failure "don't retry me"; the caller should pass the marker upstream. */
  readonly noRetry?: boolean;
}

/** Decides whether an outcome is retried. */
export type RetryClassifier<T> = (outcome: Outcome<T>) => RetryDecision;

/** HTTP statuses retried by default: 429 and the transient 5xx. Other 4xx are the caller's fault and never retried. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

const NEVER_RETRIED_CODES: ReadonlySet<string> = new Set([
  "NINES_ERR_RESILIENCE_BUDGET_EXHAUSTED",
  "NINES_ERR_RESILIENCE_CIRCUIT_OPEN",
  "NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED",
  "NINES_ERR_RESILIENCE_SHED",
  "NINES_ERR_SERVER_OVERLOADED",
]);

/** Marks an error "don't retry me" (the in-process form of the `nines-no-retry` header). */
export function markNoRetry<E extends object>(error: E): E & { readonly noRetry: true } {
  Object.defineProperty(error, "noRetry", { value: true, enumerable: true, configurable: true });
  return error as E & { readonly noRetry: true };
}

/** True when an error or response carries the "don't retry me" marker. */
export function hasNoRetryMarker(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if ((value as { noRetry?: unknown }).noRetry === true) return true;
  if (isNinesError(value) && NEVER_RETRIED_CODES.has(value.code)) return true;
  return readHeader(headersOf(value), NO_RETRY_HEADER) === "1";
}

/** True for connection-level failures (reset, refused, DNS retry, undici socket errors), also inside `cause`. */
export function isNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function isAttemptTimeout(value: object): boolean {
  return isNinesError(value) && value.code === "NINES_ERR_RESILIENCE_TIMEOUT";
}

function headersOf(value: object): HeaderSource | undefined {
  const direct = (value as { headers?: unknown }).headers;
  if (typeof direct === "object" && direct !== null) return direct as HeaderSource;
  const response = (value as { response?: { headers?: unknown } }).response;
  if (typeof response === "object" && response !== null && typeof response.headers === "object") {
    return response.headers as HeaderSource;
  }
  return undefined;
}

function statusOf(value: object): number | undefined {
  for (const candidate of [
    (value as { status?: unknown }).status,
    (value as { statusCode?: unknown }).statusCode,
    (value as { response?: { status?: unknown } }).response?.status,
  ]) {
    if (typeof candidate === "number") return candidate;
  }
  return undefined;
}

/** Classifies an HTTP status with its headers: 429/502/503/504 retried, `Retry-After` and the no-retry header honoured. */
export function classifyHttp(status: number, headers: HeaderSource | undefined): RetryDecision {
  if (readHeader(headers, NO_RETRY_HEADER) === "1") return { retry: false, noRetry: true };
  if (!RETRYABLE_STATUSES.has(status)) return { retry: false };
  const retryAfterMs = parseRetryAfter(readHeader(headers, "retry-after"));
  return retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs };
}

/**
 * The default classifier: results that look like HTTP responses (`status` + `headers`) and errors
 * carrying a `status`/`statusCode`/`response` are classified by {@link classifyHttp}; network
 * errors and per-attempt timeouts are retried; other resilience errors and anything marked "don't retry me" are not; other
 * errors and results are not retried.
 */
export function defaultClassifier<T>(outcome: Outcome<T>): RetryDecision {
  const subject: unknown = outcome.ok ? outcome.value : outcome.error;
  if (typeof subject !== "object" || subject === null) return { retry: false };
  if (!outcome.ok && hasNoRetryMarker(subject)) return { retry: false, noRetry: true };
  const status = statusOf(subject);
  if (status !== undefined && (status >= 400 || !outcome.ok)) return classifyHttp(status, headersOf(subject));
  if (!outcome.ok && (isNetworkError(subject) || isAttemptTimeout(subject))) return { retry: true };
  return { retry: false };
}
