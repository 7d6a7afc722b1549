import type { Clock } from "./clock.js";
import { type Deadline, deadlineExceeded } from "./deadline.js";
import { AttemptTimeoutError } from "./errors.js";
import type { Outcome } from "./retryable.js";

/** What shapes one attempt beside the function: its limits, the caller's signal and the time it starts. */
export interface AttemptLimits {
  readonly deadline: Deadline | undefined;
  readonly config: {
    readonly attemptTimeoutMs: number | undefined;
    readonly abortOnReturn: boolean;
    readonly clock: Clock;
  };
  readonly parent: AbortSignal | undefined;
  readonly now: number;
}

/** What each attempt receives. */
export interface AttemptContext {
  /** Aborted when the caller aborts, the deadline passes or the attempt times out: pass it to fetch. */
  readonly signal: AbortSignal;
  /** 1 for the first try. */
  readonly attempt: number;
  /** The call's deadline, to propagate with {@link deadlineHeaders}. */
  readonly deadline: Deadline | undefined;
}

const toOk = <T>(value: T): Outcome<T> => ({ ok: true, value });

/**
 * The abort reason once an attempt has ended on its own: work it started and left behind is told
 * to stop. One shared reason, because `abort()` without one builds a DOMException (with a stack)
 * per attempt, a measurable share of a busy sender's CPU.
 */
const ATTEMPT_ENDED = Object.freeze(new Error("the attempt has ended"));
const toError = (error: unknown): Outcome<never> => ({ ok: false, error });

/** The context of one attempt; its AbortController is made only when `signal` is read or a limit fires. */
class Attempt<T> implements AttemptContext {
  readonly attempt: number;
  readonly deadline: Deadline | undefined;
  readonly #parent: AbortSignal | undefined;
  readonly #abortOnReturn: boolean;
  #controller: AbortController | undefined;
  /** Forwards the caller's abort to the controller; removed when the attempt ends. */
  #forward: (() => void) | undefined;
  #done = false;
  #cancelTimer: (() => void) | undefined;
  #resolve: ((outcome: Outcome<T>) => void) | undefined;

  constructor(
    attempt: number,
    deadline: Deadline | undefined,
    parent: AbortSignal | undefined,
    abortOnReturn: boolean,
  ) {
    this.attempt = attempt;
    this.deadline = deadline;
    this.#parent = parent;
    this.#abortOnReturn = abortOnReturn;
  }

  get signal(): AbortSignal {
    return this.#ensureController().signal;
  }

  #ensureController(): AbortController {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const parent = this.#parent;
      if (parent !== undefined) {
        if (parent.aborted) controller.abort(parent.reason);
        else if (!this.#done) {
          this.#forward = () => controller.abort(parent.reason);
          parent.addEventListener("abort", this.#forward, { once: true });
        }
      }
    }
    return this.#controller;
  }

  /** Runs `fn` alone: no limit can fire, so no race is needed. */
  runPlain(fn: (context: AttemptContext) => Promise<T>): Promise<Outcome<T>> {
    try {
      return fn(this).then(toOk, toError);
    } catch (error) {
      return Promise.resolve(toError(error));
    }
  }

  /**
   * Races `fn` against the caller's signal and a timer at `limitMs` (the sooner of the deadline
   * and the attempt timeout), so no attempt outlives them even if `fn` ignores its signal.
   */
  runRaced(
    fn: (context: AttemptContext) => Promise<T>,
    limitMs: number,
    timeoutMs: number | undefined,
    clock: Clock,
  ): Promise<Outcome<T>> {
    return new Promise<Outcome<T>>((resolve) => {
      this.#resolve = resolve;
      const parent = this.#parent;
      if (parent !== undefined) {
        if (parent.aborted) return this.#finish(toError(parent.reason), parent.reason);
        parent.addEventListener("abort", this, { once: true });
      }
      if (limitMs !== Number.POSITIVE_INFINITY) {
        this.#cancelTimer = (clock.setWatchdog ?? clock.setTimer).call(clock, limitMs, () => {
          const deadline = this.deadline;
          const error =
            deadline !== undefined && clock.now() >= deadline.atMs
              ? deadlineExceeded(deadline)
              : new AttemptTimeoutError(`attempt ${this.attempt} timed out after ${timeoutMs} ms`, {
                  attempt: this.attempt,
                  timeoutMs,
                });
          this.#finish(toError(error), error);
        });
      }
      let promise: Promise<T>;
      try {
        promise = fn(this);
      } catch (error) {
        return this.#finish(toError(error));
      }
      promise.then(
        (value) => this.#finish(toOk(value)),
        (error: unknown) => this.#finish(toError(error)),
      );
    });
  }

  /** The caller's signal aborted (EventListener interface, so no closure per attempt). */
  handleEvent(): void {
    const reason = this.#parent?.reason;
    this.#finish(toError(reason), reason);
  }

  #finish(outcome: Outcome<T>, abortReason?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#cancelTimer?.();
    this.#parent?.removeEventListener("abort", this);
    if (this.#forward !== undefined) this.#parent?.removeEventListener("abort", this.#forward);
    if (abortReason !== undefined) this.#ensureController().abort(abortReason);
    else if (this.#abortOnReturn && this.#controller !== undefined && !this.#controller.signal.aborted)
      this.#controller.abort(ATTEMPT_ENDED);
    this.#resolve?.(outcome);
  }
}

/**
 * Runs one attempt. Without a deadline, timeout or caller signal it is a plain call; otherwise it
 * is raced against them (see {@link Attempt.runRaced}).
 */
export function runAttempt<T>(
  fn: (context: AttemptContext) => Promise<T>,
  attempt: number,
  limits: AttemptLimits,
): Promise<Outcome<T>> {
  const { deadline, config, parent } = limits;
  const timeoutMs = config.attemptTimeoutMs;
  const context = new Attempt<T>(attempt, deadline, parent, config.abortOnReturn);
  const remaining = deadline === undefined ? Number.POSITIVE_INFINITY : deadline.atMs - limits.now;
  const limitMs = timeoutMs === undefined || timeoutMs > remaining ? remaining : timeoutMs;
  if (limitMs === Number.POSITIVE_INFINITY && parent === undefined) return context.runPlain(fn);
  return context.runRaced(fn, limitMs, timeoutMs, config.clock);
}
