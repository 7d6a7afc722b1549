import { type Clock, systemClock } from "./clock.js";
import { CircuitOpenError } from "./errors.js";
import type { BreakerState, ResilienceEvents } from "./events.js";
import type { Outcome } from "./retryable.js";

/** Opens after `threshold` failures in a row. */
export interface ConsecutiveStrategy {
  readonly kind: "consecutive";
  readonly threshold: number;
}

/** Opens when the failure rate over a sliding window reaches `failureRate`, once `minimumThroughput` calls were seen. */
export interface SamplingStrategy {
  readonly kind: "sampling";
  /** 0..1, e.g. 0.5. */
  readonly failureRate: number;
  readonly windowMs: number;
  readonly minimumThroughput: number;
  /** Window resolution (default 10 buckets). */
  readonly buckets?: number;
}

export interface CircuitBreakerOptions {
  readonly name?: string;
  readonly strategy: ConsecutiveStrategy | SamplingStrategy;
  /** Time spent open before a half-open probe is let through. */
  readonly halfOpenAfterMs: number;
  /** Which outcomes count as failures (default {@link isBreakerFailure}). */
  readonly isFailure?: (outcome: Outcome<unknown>) => boolean;
  readonly clock?: Clock;
  readonly events?: ResilienceEvents;
}

/** Default failure test: thrown errors and 5xx/429 responses count; other 4xx are the caller's fault and do not. */
export function isBreakerFailure(outcome: Outcome<unknown>): boolean {
  const subject = outcome.ok ? outcome.value : outcome.error;
  const status =
    typeof subject === "object" && subject !== null
      ? ((subject as { status?: unknown }).status ?? (subject as { statusCode?: unknown }).statusCode)
      : undefined;
  if (typeof status === "number") return status >= 500 || status === 429;
  return !outcome.ok;
}

interface Window {
  record(failed: boolean): boolean;
  reset(): void;
}

function consecutiveWindow(threshold: number): Window {
  let failures = 0;
  return {
    record(failed) {
      failures = failed ? failures + 1 : 0;
      return failures >= threshold;
    },
    reset() {
      failures = 0;
    },
  };
}

function samplingWindow(strategy: SamplingStrategy, clock: Clock): Window {
  const count = strategy.buckets ?? 10;
  const bucketMs = strategy.windowMs / count;
  const failures = new Float64Array(count);
  const totals = new Float64Array(count);
  let current = Math.floor(clock.now() / bucketMs);
  const rotate = () => {
    const now = Math.floor(clock.now() / bucketMs);
    for (let s = 1; s <= Math.min(count, now - current); s++) {
      const i = (current + s) % count;
      failures[i] = 0;
      totals[i] = 0;
    }
    current = Math.max(current, now);
  };
  return {
    record(failed) {
      rotate();
      const i = current % count;
      totals[i]! += 1;
      if (failed) failures[i]! += 1;
      let f = 0;
      let t = 0;
      for (let j = 0; j < count; j++) {
        f += failures[j]!;
        t += totals[j]!;
      }
      return t >= strategy.minimumThroughput && f / t >= strategy.failureRate;
    },
    reset() {
      failures.fill(0);
      totals.fill(0);
    },
  };
}

/**
 * A circuit breaker: closed → open after the strategy trips; open → half-open after
 * `halfOpenAfterMs`, letting one probe through; the probe's success closes it, its failure reopens it.
 * @example const breaker = new CircuitBreaker({ strategy: { kind: "consecutive", threshold: 5 }, halfOpenAfterMs: 10_000 });
 */
export class CircuitBreaker {
  readonly name: string;
  readonly #clock: Clock;
  readonly #events: ResilienceEvents | undefined;
  readonly #window: Window;
  readonly #halfOpenAfterMs: number;
  readonly #isFailure: (outcome: Outcome<unknown>) => boolean;
  #state: BreakerState = "closed";
  #openedAt = 0;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.name = options.name ?? "default";
    this.#clock = options.clock ?? systemClock;
    this.#events = options.events;
    this.#halfOpenAfterMs = options.halfOpenAfterMs;
    this.#isFailure = options.isFailure ?? isBreakerFailure;
    this.#window =
      options.strategy.kind === "consecutive"
        ? consecutiveWindow(options.strategy.threshold)
        : samplingWindow(options.strategy, this.#clock);
  }

  /** The current state (an open breaker whose wait is over reports half-open). */
  get state(): BreakerState {
    if (this.#state === "open" && this.#clock.now() - this.#openedAt >= this.#halfOpenAfterMs)
      return "half-open";
    return this.#state;
  }

  /**
   * Asks to make a call. Returns whether this call is the half-open probe; throws
   * {@link CircuitOpenError} when open (or while another probe is in flight).
   */
  acquire(): { readonly probe: boolean } {
    if (this.#state === "closed") return CLOSED_PERMIT;
    if (this.#state === "open") {
      if (this.#clock.now() - this.#openedAt < this.#halfOpenAfterMs) throw this.#openError();
      this.#transition("half-open");
    }
    if (this.#probeInFlight) throw this.#openError();
    this.#probeInFlight = true;
    return PROBE_PERMIT;
  }

  /** Reports the outcome of a call made with a permit from {@link acquire}. */
  record(permit: { readonly probe: boolean }, outcome: Outcome<unknown>): void {
    const failed = this.#isFailure(outcome);
    if (permit.probe) {
      this.#probeInFlight = false;
      if (failed) this.#open();
      else {
        this.#window.reset();
        this.#transition("closed");
      }
      return;
    }
    if (this.#state !== "closed") return;
    if (this.#window.record(failed)) this.#open();
  }

  /** Runs `fn` through the breaker. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const permit = this.acquire();
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      this.record(permit, { ok: false, error });
      throw error;
    }
    this.record(permit, { ok: true, value });
    return value;
  }

  #open(): void {
    this.#openedAt = this.#clock.now();
    this.#transition("open");
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    if (from !== to)
      this.#events?.emitBreakerStateChange({ name: this.name, from, to, atMs: this.#clock.now() });
  }

  #openError(): InstanceType<typeof CircuitOpenError> {
    return new CircuitOpenError(`circuit breaker "${this.name}" is open`, { name: this.name });
  }
}

const CLOSED_PERMIT = { probe: false } as const;
const PROBE_PERMIT = { probe: true } as const;
