import type { AutoResolvePolicy } from "./routing-config.js";

/** The quiet period for a source, or null when its signals only resolve when told. */
export function quietPeriodMs(policy: AutoResolvePolicy, source: string): number | null {
  return Object.hasOwn(policy.bySourceMs, source) ? (policy.bySourceMs[source] ?? null) : policy.defaultMs;
}

/**
 * When a still-firing signal counts as resolved: at its `endsAt` if the sender gave one, otherwise
 * after the source's quiet period since it was last seen (for sources that never send a resolve).
 * Null when it keeps firing.
 */
export function resolvesAt(
  policy: AutoResolvePolicy,
  signal: { readonly source: string; readonly endsAt?: number },
  lastSeenAt: number,
): number | null {
  if (signal.endsAt !== undefined) return signal.endsAt;
  const quiet = quietPeriodMs(policy, signal.source);
  return quiet === null ? null : lastSeenAt + quiet;
}
