import { type Clock, systemClock } from "./clock.js";
import { DeadlineExceededError } from "./errors.js";
import { DEADLINE_HEADER, type HeaderSource, readHeader } from "./headers.js";

/** A point in time (on `clock`) after which no work for a call should go on. */
export interface Deadline {
  readonly atMs: number;
  readonly clock: Clock;
}

/** A deadline `ms` from now. */
export function deadlineIn(ms: number, clock: Clock = systemClock): Deadline {
  return { atMs: clock.now() + ms, clock };
}

/** Milliseconds left (never negative). */
export function remainingMs(deadline: Deadline): number {
  return Math.max(0, deadline.atMs - deadline.clock.now());
}

/** The earlier of two optional deadlines. */
export function earliestDeadline(a: Deadline | undefined, b: Deadline | undefined): Deadline | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.atMs <= b.atMs ? a : b;
}

/** The error raised when a deadline passes. */
export function deadlineExceeded(
  deadline: Deadline,
  cause?: unknown,
): InstanceType<typeof DeadlineExceededError> {
  const error = new DeadlineExceededError("the call's deadline passed", { deadlineAtMs: deadline.atMs });
  if (cause !== undefined) Object.defineProperty(error, "cause", { value: cause, enumerable: false });
  return error;
}

/**
 * Outgoing headers that propagate the remaining budget to the callee (SRE book ch. 22,
 * "Deadline propagation"). Subtract a little for the network if you like via `reserveMs`.
 * @example fetch(url, { headers: { ...deadlineHeaders(deadline) } })
 */
export function deadlineHeaders(deadline: Deadline | undefined, reserveMs = 0): Record<string, string> {
  if (deadline === undefined) return {};
  return { [DEADLINE_HEADER]: String(Math.max(0, Math.floor(remainingMs(deadline) - reserveMs))) };
}

/**
 * Server side: the deadline the caller sent in `nines-deadline-ms`, capped at `maxMs`; undefined
 * when the header is absent or malformed (then the server's own timeout applies).
 */
export function deadlineFromHeaders(
  headers: HeaderSource | undefined,
  options: { readonly clock?: Clock; readonly maxMs?: number } = {},
): Deadline | undefined {
  const raw = readHeader(headers, DEADLINE_HEADER);
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  const ms = Math.min(Number(raw.trim()), options.maxMs ?? Number.POSITIVE_INFINITY);
  return deadlineIn(ms, options.clock ?? systemClock);
}

/** An AbortSignal that aborts with a deadline-exceeded error when the deadline passes; call `dispose` when done. */
export interface DeadlineSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Server side: a signal to hand to the work of a request, aborted at the propagated deadline (or
 * when `parent` aborts), so work past the caller's deadline stops instead of wasting capacity.
 */
export function deadlineSignal(deadline: Deadline, parent?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  const clock = deadline.clock;
  const cancel = (clock.setWatchdog ?? clock.setTimer).call(clock, remainingMs(deadline), () =>
    controller.abort(deadlineExceeded(deadline)),
  );
  if (remainingMs(deadline) <= 0 && !controller.signal.aborted) controller.abort(deadlineExceeded(deadline));
  return {
    signal: controller.signal,
    dispose() {
      cancel();
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}
