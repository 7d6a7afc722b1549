import type { TierSpec } from "./tier.js";

/** Header cells of a series buffer. */
export const HEAD_TS = 0;
export const FIRST_TS = 1;
export const COUNTER_LAST_TS = 2;
export const COUNTER_LAST_GOOD = 3;
export const COUNTER_LAST_TOTAL = 4;
export const COUNTER_PREV_TS = 5;
export const COUNTER_PREV_GOOD = 6;
export const COUNTER_PREV_TOTAL = 7;
export const LAST_TRAFFIC_TS = 8;
const HEADER_CELLS = 9;

/** Meta cells of a tier, relative to its meta offset. */
export const M_HEAD = 0;
export const M_FLOOR_GOOD = 1;
export const M_FLOOR_TOTAL = 2;
export const M_HEAD_SLOT = 3;
export const M_HEAD_END = 4;
export const M_HEAD_GOOD = 5;
export const M_HEAD_TOTAL = 6;
export const META_CELLS = 7;

/**
 * Where each tier lives inside the one Float64Array of a series. The header and every tier's meta
 * cells (head bucket, cumulative sums through the last evicted bucket, head slot, head bucket end,
 * cumulative sums through the head bucket) come first and together, so an in-order write touches a
 * few adjacent cache lines. Then each tier's ring: (cumulative good, cumulative total) per slot; the
 * finest tier's slots also hold the last sample written there (timestamp, good, total), stride 5.
 */
export class SeriesLayout {
  readonly tiers: readonly TierSpec[];
  readonly resolution: Float64Array;
  readonly slots: Int32Array;
  readonly meta: Int32Array;
  readonly data: Int32Array;
  readonly stride: Int32Array;
  readonly length: number;

  constructor(tiers: readonly TierSpec[]) {
    this.tiers = tiers;
    const count = tiers.length;
    this.resolution = Float64Array.from(tiers, (t) => t.resolutionMs);
    this.slots = Int32Array.from(tiers, (t) => t.slots);
    this.meta = Int32Array.from(tiers, (_, i) => HEADER_CELLS + i * META_CELLS);
    this.stride = Int32Array.from(tiers, (_, i) => (i === 0 ? 5 : 2));
    this.data = new Int32Array(count);
    let offset = HEADER_CELLS + count * META_CELLS;
    tiers.forEach((tier, i) => {
      this.data[i] = offset;
      offset += this.stride[i]! * tier.slots;
    });
    this.length = offset;
  }

  /** Bytes of one series buffer. */
  get bytes(): number {
    return this.length * Float64Array.BYTES_PER_ELEMENT;
  }
}
