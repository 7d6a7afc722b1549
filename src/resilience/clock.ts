import { TimerQueue } from "./timer-queue.js";

/** Cancels a timer set with {@link Clock.setTimer}. */
export type CancelTimer = () => void;

/**
 * The time port of the library: real time in production, virtual time in tests and simulations.
 * `now()` is in milliseconds; only differences matter.
 */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): CancelTimer;
  /**
   * Optional cheaper timer for limits that are almost always cancelled (deadlines, attempt
   * timeouts). It need not keep the process alive: the guarded work does. Defaults to `setTimer`.
   */
  setWatchdog?(delayMs: number, callback: () => void): CancelTimer;
}

const now = () => performance.now();
const timers = new TimerQueue(now);

/** The process clock: `performance.now()`, `setTimeout`, and watchdogs on one shared unref'd Node timer. */
export const systemClock: Clock = {
  now,
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.min(2_147_483_647, Math.max(0, delayMs)));
    return () => clearTimeout(handle);
  },
  setWatchdog: (delayMs, callback) => timers.set(delayMs, callback),
};
