/** Good and total events summed over a window. */
export interface WindowSum {
  readonly good: number;
  readonly total: number;
}

/**
 * A window sum with the bounds it actually covers: samples with `fromMs < ts <= toMs`, where both
 * ends are the requested ones rounded up to the bucket boundary of the tier that answered.
 */
export interface BoundedWindowSum extends WindowSum {
  readonly fromMs: number;
  readonly toMs: number;
  readonly resolutionMs: number;
}
