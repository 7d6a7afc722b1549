import { type AttemptContext, runAttempt } from "./attempt.js";
import { type BackoffOptions, type BackoffSequence, DEFAULT_BACKOFF, startBackoff } from "./backoff.js";
import { type Clock, systemClock } from "./clock.js";
import { type Deadline, deadlineExceeded, deadlineIn, earliestDeadline } from "./deadline.js";
import { BudgetExhaustedError } from "./errors.js";
import type { ResilienceEvents } from "./events.js";
import type { RandomSource } from "./random.js";
import type { RetryBudget } from "./retry-budget.js";
import { defaultClassifier, markNoRetry, type Outcome, type RetryClassifier } from "./retryable.js";
import { sleep } from "./sleep.js";

/** How `retry` behaves. Every field is optional. */
export interface RetryOptions<T = unknown> {
  /** Name in events (the backend). */
  readonly name?: string;
  /** Attempts per call including the first (default 3): the per-request retry limit. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** Which outcomes are retried (default {@link defaultClassifier}). */
  readonly classify?: RetryClassifier<T>;
  /** The per-backend retry budget. */
  readonly budget?: RetryBudget;
  /** Deadline for the whole call, attempts and waits included. */
  readonly deadline?: Deadline;
  /** Same as `deadline`, relative to now. */
  readonly deadlineMs?: number;
  /** Per-attempt timeout. */
  readonly attemptTimeoutMs?: number;
  /**
   * Abort an attempt's signal when it returns or throws on its own, to stop work it left behind
   * (default true). False spares the abort (an Event per attempt) when nothing outlives the call.
   */
  readonly abortOnReturn?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Mark a failure "don't retry me" once this layer has retried it or the budget refused a
   * retry, so upstream layers do not multiply the retries (default true).
   */
  readonly markExhausted?: boolean;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly events?: ResilienceEvents;
}

/**
 * Calls `fn` until it succeeds, the outcome is not retryable, attempts run out, the budget is
 * spent, the deadline passes or the signal aborts. Waits use exponential backoff with jitter
 * and honour `Retry-After` (SRE book ch. 22, "Retries"). A retryable result (e.g. a 503
 * Response) that is never fixed is returned as is; a thrown error is rethrown.
 * @example const res = await retry(({ signal }) => fetch(url, { signal }), { maxAttempts: 3, deadlineMs: 2000 });
 */
export function retry<T>(
  fn: (context: AttemptContext) => Promise<T>,
  options: RetryOptions<T> = {},
): Promise<T> {
  const config = new RetryConfig(options);
  const deadline =
    options.deadlineMs === undefined
      ? options.deadline
      : earliestDeadline(options.deadline, deadlineIn(options.deadlineMs, config.clock));
  return runRetry(fn, config, deadline, options.signal);
}

/** Resolved retry options with a fixed shape, built once per policy so calls stay cheap. */
export class RetryConfig<T = unknown> {
  readonly name: string;
  readonly clock: Clock;
  readonly maxAttempts: number;
  readonly classify: RetryClassifier<T>;
  readonly budget: RetryBudget | undefined;
  readonly events: ResilienceEvents | undefined;
  readonly backoff: BackoffOptions;
  readonly random: RandomSource;
  readonly attemptTimeoutMs: number | undefined;
  readonly abortOnReturn: boolean;
  readonly markExhausted: boolean;

  constructor(options: RetryOptions<T>) {
    this.name = options.name ?? "default";
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.classify = options.classify ?? defaultClassifier;
    this.budget = options.budget;
    this.events = options.events;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.attemptTimeoutMs = options.attemptTimeoutMs;
    this.abortOnReturn = options.abortOnReturn ?? true;
    this.markExhausted = options.markExhausted ?? true;
  }
}

/** The retry loop over resolved options; `retry` and composed policies both end here. */
export async function runRetry<T>(
  fn: (context: AttemptContext) => Promise<T>,
  config: RetryConfig<T>,
  deadline: Deadline | undefined,
  signal: AbortSignal | undefined,
): Promise<T> {
  const { clock, budget, events, name } = config;
  budget?.recordRequest();
  let backoff: BackoffSequence | undefined;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    const started = clock.now();
    if (deadline !== undefined && deadline.atMs <= started) throw deadlineExceeded(deadline);
    const outcome = await runAttempt(fn, attempt, { deadline, config, parent: signal, now: started });
    if (signal?.aborted) throw signal.reason;
    const decision = config.classify(outcome);
    const failed = !outcome.ok || decision.retry;
    if (events?.hasAttemptListeners) {
      const durationMs = clock.now() - started;
      const result = failed ? "failure" : "success";
      events.emitAttempt(
        outcome.ok
          ? { name, attempt, outcome: result, durationMs, retryable: decision.retry }
          : { name, attempt, outcome: result, durationMs, retryable: decision.retry, error: outcome.error },
      );
    }
    if (!failed) {
      budget?.recordSuccess();
      return (outcome as { value: T }).value;
    }
    if (decision.retry || decision.noRetry) budget?.recordFailure();
    if (!decision.retry) return settle(outcome);
    if (attempt >= config.maxAttempts) return settle(outcome, config.markExhausted);
    if (budget !== undefined && !budget.tryRetry()) {
      events?.emitBudgetExhausted({ name, attempt });
      if (outcome.ok) return outcome.value;
      const error = new BudgetExhaustedError(`retry budget for "${name}" is spent`, { name, attempt });
      Object.defineProperty(error, "cause", { value: outcome.error, enumerable: false });
      throw error;
    }
    backoff ??= startBackoff(config.backoff, config.random);
    let delayMs = backoff.next();
    let reason: "backoff" | "retry-after" = "backoff";
    if (decision.retryAfterMs !== undefined && decision.retryAfterMs > delayMs) {
      delayMs = decision.retryAfterMs;
      reason = "retry-after";
    }
    // Waiting past the deadline only to fail afterwards wastes the caller's time: fail now.
    if (deadline !== undefined && clock.now() + delayMs >= deadline.atMs) {
      throw deadlineExceeded(deadline, outcome.ok ? undefined : outcome.error);
    }
    events?.emitBackoff({ name, nextAttempt: attempt + 1, delayMs, reason });
    await sleep(clock, delayMs, signal);
  }
}

function settle<T>(outcome: Outcome<T>, mark = false): T {
  if (outcome.ok) return outcome.value;
  if (mark && typeof outcome.error === "object" && outcome.error !== null) markNoRetry(outcome.error);
  throw outcome.error;
}
