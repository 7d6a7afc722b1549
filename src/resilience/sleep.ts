import type { Clock } from "./clock.js";

/**
 * Waits `ms` on the given clock; rejects with the signal's reason as soon as it aborts.
 * @example await sleep(systemClock, 100, AbortSignal.timeout(50)); // rejects after 50 ms
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
