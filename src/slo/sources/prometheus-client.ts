import { isNinesError } from "../../errors/index.js";
import {
  CircuitBreaker,
  createPolicy,
  createTokenBucketBudget,
  deadlineHeaders,
  isNetworkError,
  type Outcome,
  type Policy,
  parseRetryAfter,
  type ResilienceEvents,
  type RetryDecision,
} from "../../resilience/index.js";
import type { PrometheusAuth } from "../model.js";
import {
  PromqlCredentialsMissingError,
  PromqlQueryError,
  PromqlResponseInvalidError,
  PromqlUnavailableError,
} from "./errors.js";
import { excerpt, parseQueryResponse, type QueryValues } from "./promql-response.js";

/** Default timeout of one query attempt. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 3;
const RETRYABLE = new Set([429, 502, 503, 504]);

export interface PrometheusEndpoint {
  /** Base URL of the API, e.g. http://prometheus:9090 or https://mimir.example.com/prometheus. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth?: PrometheusAuth;
  /** Per-attempt timeout (default 10 s); also sent as the query's `timeout` parameter. */
  readonly timeoutMs?: number;
}

export interface PrometheusBackendsOptions {
  readonly events?: ResilienceEvents;
  /** Where `auth` secrets are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  /** Backoff base between attempts (default 200 ms; full jitter, doubling, capped at 5 s). */
  readonly backoffBaseMs?: number;
}

/** What a failed query was, for an SLO's status. */
export type QueryFailure = "query" | "unreachable" | "invalid" | "credentials";

/** Classifies an error a query threw; anything that is not ours counts as unreachable. */
export function queryFailureKind(error: unknown): QueryFailure {
  if (isNinesError(error)) {
    if (error.code === PromqlQueryError.code) return "query";
    if (error.code === PromqlResponseInvalidError.code) return "invalid";
    if (error.code === PromqlCredentialsMissingError.code) return "credentials";
  }
  return "unreachable";
}

function classify(outcome: Outcome<unknown>): RetryDecision {
  if (outcome.ok) return { retry: false };
  const error = outcome.error;
  if (isNinesError(error)) {
    if (error.code === PromqlUnavailableError.code) {
      const d = error.details as { retryable?: boolean; retryAfterMs?: number } | undefined;
      if (!d?.retryable) return { retry: false };
      return d.retryAfterMs !== undefined ? { retry: true, retryAfterMs: d.retryAfterMs } : { retry: true };
    }
    return { retry: error.code === "NINES_ERR_RESILIENCE_TIMEOUT" };
  }
  return { retry: isNetworkError(error) };
}

/** The connection-level reason of a fetch failure ("connect ECONNREFUSED 127.0.0.1:9090"). */
function networkReason(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const m = (current as { message?: unknown }).message;
    if (typeof m === "string" && m !== "" && m !== "fetch failed") message = m;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** The base URL without user info, query or trailing slash: safe to show and log. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
}

/**
 * Clients of Prometheus-compatible HTTP APIs (Prometheus, Thanos Query, Mimir, VictoriaMetrics).
 * Every call goes through one `nines/resilience` policy per backend URL: a deadline, a retry
 * budget shared by all SLOs on that backend, a breaker that fails fast while it is down, and
 * up to three attempts with full-jitter exponential backoff, each with its own timeout.
 */
export class PrometheusBackends {
  private readonly policies = new Map<string, Policy>();
  private readonly shared = new Map<
    string,
    { budget: ReturnType<typeof createTokenBucketBudget>; breaker: CircuitBreaker }
  >();
  /** The last failure of each backend, for calls its open breaker refuses. */
  private readonly lastFailure = new Map<string, string>();
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: PrometheusBackendsOptions = {}) {
    this.env = options.env ?? process.env;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** `/api/v1/query` at `atMs`. */
  instant(
    endpoint: PrometheusEndpoint,
    query: string,
    atMs: number,
    signal?: AbortSignal,
  ): Promise<QueryValues> {
    return this.call(endpoint, "query", { query, time: seconds(atMs) }, signal);
  }

  /** `/api/v1/query_range` with points at `startMs`, `startMs + stepMs`, … `endMs`. */
  range(
    endpoint: PrometheusEndpoint,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<QueryValues> {
    return this.call(
      endpoint,
      "query_range",
      { query, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) },
      signal,
    );
  }

  private async call(
    endpoint: PrometheusEndpoint,
    api: "query" | "query_range",
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<QueryValues> {
    const base = displayUrl(endpoint.url);
    const target = `${endpoint.url.replace(/\/+$/, "")}/api/v1/${api}`;
    const timeoutMs = endpoint.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    const headers: Record<string, string> = {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": "nines",
      ...endpoint.headers,
      ...this.authorization(endpoint.auth),
    };
    const body = new URLSearchParams({ ...params, timeout: seconds(timeoutMs) }).toString();
    try {
      return await this.policy(base, timeoutMs).execute(
        async ({ signal: attemptSignal, deadline }) => {
          const response = await this.fetchFn(target, {
            method: "POST",
            headers: { ...headers, ...deadlineHeaders(deadline) },
            body,
            signal: attemptSignal,
          });
          const text = await response.text();
          if (RETRYABLE.has(response.status) || response.status >= 500) {
            const retryAfterMs = parseRetryAfter(response.headers.get("retry-after") ?? undefined);
            throw new PromqlUnavailableError(
              `${base} answered HTTP ${response.status}: ${apiMessage(text)}`,
              {
                httpStatus: response.status,
                retryable: RETRYABLE.has(response.status),
                ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
              },
            );
          }
          if (response.status === 401 || response.status === 403)
            throw new PromqlUnavailableError(
              `${base} refused the credentials (HTTP ${response.status}): ${apiMessage(text)}`,
              { httpStatus: response.status, retryable: false },
            );
          return parseQueryResponse(text, response.status);
        },
        signal ? { signal } : {},
      );
    } catch (error) {
      throw this.explain(base, error, signal);
    }
  }

  /**
   * The error a failed call reports: the backend's own failure rather than the policy's wrapper
   * (a spent retry budget names the failure behind it; an open breaker, the last one seen).
   */
  private explain(base: string, error: unknown, signal: AbortSignal | undefined): unknown {
    let e = error;
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (isNinesError(e) && e.code === "NINES_ERR_RESILIENCE_BUDGET_EXHAUSTED" && cause !== undefined)
      e = cause;
    if (!isNinesError(e) && signal?.aborted) return e;
    let out: InstanceType<typeof PromqlUnavailableError>;
    if (isNinesError(e)) {
      if (e.code.startsWith("NINES_ERR_PROMQL_")) {
        if (e.code === PromqlUnavailableError.code) this.lastFailure.set(base, e.message);
        return e;
      }
      if (e.code === "NINES_ERR_RESILIENCE_CIRCUIT_OPEN")
        return new PromqlUnavailableError(
          `${base} is not queried for a while after repeated failures; the last: ${this.lastFailure.get(base) ?? "unknown"}`,
          { cause: e.code },
        );
      out = new PromqlUnavailableError(`${base}: ${e.message}`, { cause: e.code });
    } else out = new PromqlUnavailableError(`cannot reach ${base}: ${networkReason(e)}`);
    this.lastFailure.set(base, out.message);
    return out;
  }

  private authorization(auth: PrometheusAuth | undefined): Record<string, string> {
    if (auth === undefined) return {};
    const name = auth.kind === "bearer" ? auth.tokenEnv : auth.passwordEnv;
    const secret = this.env[name];
    if (secret === undefined || secret === "")
      throw new PromqlCredentialsMissingError(
        `the environment variable ${name} (auth.${auth.kind}) is not set on the nines server`,
        { variable: name },
      );
    return auth.kind === "bearer"
      ? { authorization: `Bearer ${secret}` }
      : { authorization: `Basic ${Buffer.from(`${auth.username}:${secret}`).toString("base64")}` };
  }

  private policy(base: string, timeoutMs: number): Policy {
    const key = `${base}\u0000${timeoutMs}`;
    const existing = this.policies.get(key);
    if (existing) return existing;
    let shared = this.shared.get(base);
    if (!shared) {
      shared = {
        budget: createTokenBucketBudget({ maxTokens: 10, tokenRatio: 0.1 }),
        breaker: new CircuitBreaker({
          name: `prometheus ${base}`,
          strategy: { kind: "consecutive", threshold: 5 },
          halfOpenAfterMs: 15_000,
          // A query the backend rejects (syntax, execution) says nothing about the backend's health.
          isFailure: (outcome) =>
            !outcome.ok && !(isNinesError(outcome.error) && outcome.error.code === PromqlQueryError.code),
          ...(this.options.events ? { events: this.options.events } : {}),
        }),
      };
      this.shared.set(base, shared);
    }
    const policy = createPolicy({
      name: "prometheus",
      deadlineMs: Math.min(MAX_ATTEMPTS * timeoutMs + 10_000, 120_000),
      attemptTimeoutMs: timeoutMs,
      maxAttempts: MAX_ATTEMPTS,
      backoff: { jitter: "full", baseMs: this.options.backoffBaseMs ?? 200, capMs: 5_000, multiplier: 2 },
      budget: shared.budget,
      breaker: shared.breaker,
      classify,
      ...(this.options.events ? { events: this.options.events } : {}),
    });
    this.policies.set(key, policy);
    return policy;
  }
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

/** The API's error message when the body is its JSON, else an excerpt of the body. */
function apiMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: unknown };
    if (typeof json.error === "string") return excerpt(json.error, 300);
  } catch {
    // not JSON: show what came back
  }
  return text.trim() === "" ? "empty body" : excerpt(text, 120);
}
