/**
 * One SLI sample for a series: per-interval counts (events in the interval ending at `ts`) or
 * cumulative counter readings, depending on how the series was created.
 */
export interface Sample {
  readonly series: string;
  /** Unix milliseconds. */
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}
