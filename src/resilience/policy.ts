import type { AttemptContext } from "./attempt.js";
import type { BackoffOptions } from "./backoff.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import type { Clock } from "./clock.js";
import type { Deadline } from "./deadline.js";
import type { ResilienceEvents } from "./events.js";
import type { RandomSource } from "./random.js";
import { RetryConfig, runRetry } from "./retry.js";
import type { RetryBudget } from "./retry-budget.js";
import type { RetryClassifier } from "./retryable.js";

/** Everything a composed policy for one backend needs; all optional but `name`. */
export interface PolicyOptions<T = unknown> {
  /** The backend's name, in every event. */
  readonly name: string;
  /** Default deadline of each call (a caller's tighter deadline wins). */
  readonly deadlineMs?: number;
  readonly budget?: RetryBudget;
  readonly breaker?: CircuitBreaker;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  readonly classify?: RetryClassifier<T>;
  /** Per-attempt timeout. */
  readonly attemptTimeoutMs?: number;
  /** Abort an attempt's signal when it ends on its own (default true; see {@link RetryOptions}). */
  readonly abortOnReturn?: boolean;
  readonly markExhausted?: boolean;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly events?: ResilienceEvents;
}

/** Per-call options. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** The caller's deadline (e.g. from {@link deadlineFromHeaders} of the incoming request). */
  readonly deadline?: Deadline;
  readonly deadlineMs?: number;
}

/** A composed policy: `execute` runs a function through deadline ▸ budget ▸ breaker ▸ retry ▸ timeout. */
export interface Policy<T = unknown> {
  readonly name: string;
  execute<R extends T>(fn: (context: AttemptContext) => Promise<R>, options?: CallOptions): Promise<R>;
}

/**
 * Composes the policies for one backend, outermost first: the call's deadline bounds
 * everything; the budget caps retries across all calls; the breaker fails fast while the
 * backend is down (and sees one outcome per call, after retries); retry spaces attempts
 * with jittered backoff; the timeout bounds each attempt.
 * @example
 * const prometheus = createPolicy({ name: "prometheus", deadlineMs: 5000, budget: createTokenBucketBudget(),
 *   breaker: new CircuitBreaker({ name: "prometheus", strategy: { kind: "consecutive", threshold: 5 }, halfOpenAfterMs: 10_000 }),
 *   attemptTimeoutMs: 2000, events });
 * const res = await prometheus.execute(({ signal, deadline }) => fetch(url, { signal, headers: deadlineHeaders(deadline) }));
 */
export function createPolicy<T = unknown>(options: PolicyOptions<T>): Policy<T> {
  const config = new RetryConfig<T>(options);
  const { clock } = config;
  const { breaker, deadlineMs } = options;
  return {
    name: options.name,
    execute<R extends T>(fn: (context: AttemptContext) => Promise<R>, call?: CallOptions): Promise<R> {
      let deadline = call?.deadline;
      const callMs = call?.deadlineMs;
      if (callMs !== undefined || deadlineMs !== undefined) {
        const atMs =
          clock.now() + Math.min(callMs ?? Number.POSITIVE_INFINITY, deadlineMs ?? Number.POSITIVE_INFINITY);
        if (deadline === undefined || atMs < deadline.atMs) deadline = { atMs, clock };
      }
      const retryConfig = config as unknown as RetryConfig<R>;
      const signal = call?.signal;
      if (breaker === undefined) return runRetry(fn, retryConfig, deadline, signal);
      return breaker.execute(() => runRetry(fn, retryConfig, deadline, signal));
    },
  };
}
