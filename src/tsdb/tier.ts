/** One resolution of the SLI store: buckets of `resolutionMs`, the last `slots` of them kept. */
export interface TierSpec {
  readonly resolutionMs: number;
  readonly slots: number;
}

/**
 * Default tiers, chosen to fit 35 days of history in under 64 KB per series while keeping every
 * window of the Workbook's default policy exact to a small fraction of its length:
 * 10 s for 1 h (5m, 30m, 1h windows), 1 min for 6 h (2h, 6h), 10 min for 7 d (1d, 3d, 7d forecast),
 * 1 h for 35 d (30-day budget, monthly periods), 1 d for 400 d (quarters and long charts).
 * The finest tier also keeps the last sample of each slot, for idempotent writes.
 */
export const DEFAULT_TIERS: readonly TierSpec[] = [
  { resolutionMs: 10_000, slots: 360 },
  { resolutionMs: 60_000, slots: 360 },
  { resolutionMs: 600_000, slots: 1008 },
  { resolutionMs: 3_600_000, slots: 840 },
  { resolutionMs: 86_400_000, slots: 400 },
];
