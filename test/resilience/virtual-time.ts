import type { VirtualClock } from "../../src/resilience/index.js";

/** Runs a promise to completion on virtual time and returns its settled outcome. */
export async function settle<T>(
  clock: VirtualClock,
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await clock.runAll();
  return outcome;
}
