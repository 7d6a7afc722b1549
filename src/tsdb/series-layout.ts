import type { TierSpec } from "./tier.js";

/**
 * Header cells of a series (logical cell numbers; cells go in pairs, see {@link SeriesLayout}).
 * Pair 0: newest and oldest sample timestamps. Pair 1: newest sample with traffic, and the earliest
 * head bucket end of the coarser tiers (all but the finest: an in-order sample at or before it
 * moves none of them). Pair 2: the
 * running good and total of every sample written (each tier's head bucket sums are these minus the
 * tier's offset). Pairs 3–5: the last two readings of a cumulative counter series.
 */
export const HEAD_TS = 0;
export const FIRST_TS = 1;
export const LAST_TRAFFIC_TS = 2;
export const COARSE_HEAD_END = 3;
export const CUM_GOOD = 4;
export const CUM_TOTAL = 5;
export const COUNTER_LAST_TS = 6;
export const COUNTER_LAST_GOOD = 7;
export const COUNTER_LAST_TOTAL = 8;
export const COUNTER_PREV_TS = 9;
export const COUNTER_PREV_GOOD = 10;
export const COUNTER_PREV_TOTAL = 11;
const HEADER_PAIRS = 6;

/**
 * Meta pairs of a tier, relative to its meta pair: (head bucket, head slot), (offset good,
 * offset total: what was written to the series but not to this tier, i.e. samples older than its
 * span), (cumulative sums through the last evicted bucket: the floor), (head bucket end, unused).
 */
export const MP_HEAD = 0;
export const MP_OFFSET = 1;
export const MP_FLOOR = 2;
export const MP_END = 3;
const META_PAIRS = 4;

/**
 * Where each value of a series lives. Values go in pairs of float64 (good and total side by side).
 * A store interleaves `lanes` series pair by pair: pair `q` of the series in lane `l` of a group is
 * at `groupStart + q * 2 * lanes + 2 * l`, so the same pair of neighbouring series (the head sums,
 * the slot of a window start: ring slots are absolute-time buckets, the same for every series) sits
 * in one run of memory. An evaluation tick over many SLOs and an ingest of one sample per series
 * then read a few sequential runs instead of a few scattered pages per series. With one lane a
 * series is one contiguous run.
 *
 * Pairs: the header, every tier's meta pairs, each tier's ring of (cumulative good, cumulative
 * total) per slot, then the finest tier's memory of the last sample written to each of its slots:
 * (timestamp, good) per slot and the totals two slots to a pair.
 */
export class SeriesLayout {
  readonly tiers: readonly TierSpec[];
  readonly resolution: Float64Array;
  readonly slots: Int32Array;
  /** First meta pair of each tier. */
  readonly meta: Int32Array;
  /** First ring pair of each tier. */
  readonly ring: Int32Array;
  /** First pair of the finest tier's (timestamp, good) memory, and of its totals. */
  readonly memo: number;
  readonly memoTotal: number;
  /** Pairs of one series. */
  readonly pairs: number;
  /** Series interleaved in a group, and the distance in cells between a series' consecutive pairs. */
  readonly lanes: number;
  readonly row: number;
  /** Cells of one series. */
  readonly length: number;

  constructor(tiers: readonly TierSpec[], lanes = 1) {
    this.tiers = tiers;
    this.lanes = lanes;
    this.row = 2 * lanes;
    const count = tiers.length;
    this.resolution = Float64Array.from(tiers, (t) => t.resolutionMs);
    this.slots = Int32Array.from(tiers, (t) => t.slots);
    this.meta = Int32Array.from(tiers, (_, i) => HEADER_PAIRS + i * META_PAIRS);
    this.ring = new Int32Array(count);
    let pair = HEADER_PAIRS + count * META_PAIRS;
    tiers.forEach((tier, i) => {
      this.ring[i] = pair;
      pair += tier.slots;
    });
    this.memo = pair;
    pair += tiers[0]!.slots;
    this.memoTotal = pair;
    pair += Math.ceil(tiers[0]!.slots / 2);
    this.pairs = pair;
    this.length = 2 * pair;
  }

  /** Bytes of one series. */
  get bytes(): number {
    return this.length * Float64Array.BYTES_PER_ELEMENT;
  }
}
