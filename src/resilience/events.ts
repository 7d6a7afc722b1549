import type { Criticality } from "./criticality.js";

/** One attempt finished (emitted by `retry` and the composed policy). */
export interface AttemptEvent {
  /** The policy's name, usually the backend ("alertmanager", "prometheus"). */
  readonly name: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly outcome: "success" | "failure";
  readonly durationMs: number;
  /** Whether the failure is retryable by the classifier (false on success). */
  readonly retryable: boolean;
  readonly error?: unknown;
}

/** The retry loop is about to wait before the next attempt. */
export interface BackoffEvent {
  readonly name: string;
  /** The attempt that will run after the wait. */
  readonly nextAttempt: number;
  readonly delayMs: number;
  /** `retry-after` when the server's `Retry-After` was longer than the computed backoff. */
  readonly reason: "backoff" | "retry-after";
}

/** A retry was refused by the retry budget; the failure is returned at once. */
export interface BudgetExhaustedEvent {
  readonly name: string;
  readonly attempt: number;
}

/** Circuit breaker states. */
export type BreakerState = "closed" | "open" | "half-open";

/** The circuit breaker changed state. */
export interface BreakerStateChangeEvent {
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly atMs: number;
}

/** The load shedder rejected a request. */
export interface ShedEvent {
  readonly name: string;
  readonly reason: "concurrency" | "queue-full" | "queue-time" | "evicted";
  readonly criticality: Criticality;
  readonly inFlight: number;
  readonly queued: number;
  readonly limit: number;
}

/** Called for each event; must not throw (errors are swallowed so hooks cannot break calls). */
export type Listener<E> = (event: E) => void;
/** Removes a listener. */
export type Unsubscribe = () => void;

/**
 * Listener hub for metrics and logs. One instance can be shared by many policies and shedders;
 * the `name` field of each event tells them apart.
 * @example const events = new ResilienceEvents(); events.onAttempt((e) => counter.inc({ backend: e.name, outcome: e.outcome }));
 */
export class ResilienceEvents {
  readonly #attempt: Listener<AttemptEvent>[] = [];
  readonly #backoff: Listener<BackoffEvent>[] = [];
  readonly #budget: Listener<BudgetExhaustedEvent>[] = [];
  readonly #breaker: Listener<BreakerStateChangeEvent>[] = [];
  readonly #shed: Listener<ShedEvent>[] = [];

  onAttempt(listener: Listener<AttemptEvent>): Unsubscribe {
    return add(this.#attempt, listener);
  }
  onBackoff(listener: Listener<BackoffEvent>): Unsubscribe {
    return add(this.#backoff, listener);
  }
  onBudgetExhausted(listener: Listener<BudgetExhaustedEvent>): Unsubscribe {
    return add(this.#budget, listener);
  }
  onBreakerStateChange(listener: Listener<BreakerStateChangeEvent>): Unsubscribe {
    return add(this.#breaker, listener);
  }
  onShed(listener: Listener<ShedEvent>): Unsubscribe {
    return add(this.#shed, listener);
  }

  emitAttempt(event: AttemptEvent): void {
    emit(this.#attempt, event);
  }
  emitBackoff(event: BackoffEvent): void {
    emit(this.#backoff, event);
  }
  emitBudgetExhausted(event: BudgetExhaustedEvent): void {
    emit(this.#budget, event);
  }
  emitBreakerStateChange(event: BreakerStateChangeEvent): void {
    emit(this.#breaker, event);
  }
  emitShed(event: ShedEvent): void {
    emit(this.#shed, event);
  }
  /** True when someone listens to attempts (lets the hot path skip building events). */
  get hasAttemptListeners(): boolean {
    return this.#attempt.length > 0;
  }
}

function add<E>(list: Listener<E>[], listener: Listener<E>): Unsubscribe {
  list.push(listener);
  return () => {
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  };
}

function emit<E>(list: readonly Listener<E>[], event: E): void {
  for (const listener of list) {
    try {
      listener(event);
    } catch {
      // A broken metrics hook must never fail the call it observes.
    }
  }
}
