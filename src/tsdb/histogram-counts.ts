import { ThresholdNotBucketError } from "./errors.js";
import type { WindowSum } from "./window-sum.js";

/**
 * Turns a Prometheus-style histogram (cumulative `le` bucket counts, ascending bounds, the last
 * count being `+Inf`) into good/total for a latency SLI: good = count in the bucket whose bound
 * equals the threshold (requests at or under it), total = the `+Inf` count.
 */
export function histogramCounts(
  bounds: readonly number[],
  thresholdSeconds: number,
  counts: ArrayLike<number>,
): WindowSum {
  const index = thresholdIndex(bounds, thresholdSeconds);
  return { good: counts[index] ?? 0, total: counts[counts.length - 1] ?? 0 };
}

/** Index of the bucket bound equal to the threshold. */
export function thresholdIndex(bounds: readonly number[], thresholdSeconds: number): number {
  const index = bounds.indexOf(thresholdSeconds);
  if (index < 0) {
    throw new ThresholdNotBucketError(`threshold ${thresholdSeconds}s is not a bucket bound`, {
      thresholdSeconds,
      bounds,
    });
  }
  return index;
}
