import { SampleInvalidError } from "./errors.js";
import {
  COUNTER_LAST_GOOD,
  COUNTER_LAST_TOTAL,
  COUNTER_LAST_TS,
  COUNTER_PREV_GOOD,
  COUNTER_PREV_TOTAL,
  COUNTER_PREV_TS,
  FIRST_TS,
  HEAD_TS,
  LAST_TRAFFIC_TS,
  M_FLOOR_GOOD,
  M_FLOOR_TOTAL,
  M_HEAD,
  M_HEAD_END,
  M_HEAD_GOOD,
  M_HEAD_SLOT,
  M_HEAD_TOTAL,
  type SeriesLayout,
} from "./series-layout.js";
import type { BoundedWindowSum, WindowSum } from "./window-sum.js";

/** How a series' samples are to be read. */
export type SampleKind = "interval" | "cumulative";

/**
 * The history of one SLI series: (good, total) counts in ring buffers at several resolutions,
 * stored as cumulative sums so that any window costs two reads (O(1)).
 *
 * Writes:
 * - A sample at `ts` lands in bucket `ceil(ts / resolution)` of every tier, i.e. a bucket holds
 *   `(end - resolution, end]`, matching a per-interval count reported at the end of its interval.
 * - Writing into the current bucket is O(1) per tier; a late sample adds its counts to its bucket
 *   and to every later cumulative cell of that tier (O(distance to head)). A sample older than a
 *   tier's span is not kept in that tier (no window of that tier can reach it any more).
 * - Idempotence: the finest tier remembers the last sample (timestamp, good, total) written to each
 *   of its slots. A sample with the same timestamp as that one replaces it (only the difference is
 *   added everywhere), so a retried batch never double-counts. This is exact when a series has at
 *   most one timestamp per finest bucket (10 s by default) and the sample is within the finest span
 *   (1 h by default); older duplicates are added again.
 * - Cumulative counters: the first reading is the baseline; each later reading adds its increase
 *   since the previous one at its timestamp, and a decrease is a counter reset (the new value is
 *   counted from 0). A reading at the last reading's timestamp replaces it; older readings are
 *   ignored (the next reading carries their increase), counted in `ignoredLate`.
 */
export class SeriesBuffer {
  readonly id: string;
  readonly kind: SampleKind;
  readonly layout: SeriesLayout;
  readonly cells: Float64Array;
  ignoredLate = 0;

  /** `cells`, when given, is a zeroed view of `layout.length` cells (e.g. carved from a slab). */
  constructor(id: string, kind: SampleKind, layout: SeriesLayout, cells?: Float64Array) {
    this.id = id;
    this.kind = kind;
    this.layout = layout;
    this.cells = cells ?? new Float64Array(layout.length);
    this.cells[HEAD_TS] = Number.NaN;
    this.cells[FIRST_TS] = Number.NaN;
    this.cells[COUNTER_LAST_TS] = Number.NaN;
    this.cells[COUNTER_PREV_TS] = Number.NaN;
    this.cells[LAST_TRAFFIC_TS] = Number.NaN;
    // The finest ring's sample cells start as (0, 0, 0): matching a sample at ts 0 against an empty
    // slot replaces nothing, so they need no NaN marking (which would touch every page up front).
  }

  /** Timestamp of the newest sample, or NaN before the first one. */
  get headTs(): number {
    return this.cells[HEAD_TS]!;
  }

  /** Timestamp of the oldest sample, or NaN before the first one. */
  get firstTs(): number {
    return this.cells[FIRST_TS]!;
  }

  /** Timestamp of the newest sample with events (total > 0), or NaN. */
  get lastTrafficTs(): number {
    return this.cells[LAST_TRAFFIC_TS]!;
  }

  /** Writes one sample of this series' kind. */
  append(ts: number, good: number, total: number): void {
    if (this.kind === "cumulative") this.appendCounter(ts, good, total);
    else this.appendInterval(ts, good, total);
  }

  /** Writes the counts of the interval ending at `ts`. */
  appendInterval(ts: number, good: number, total: number): void {
    if (!(Number.isFinite(ts) && good >= 0 && total >= good && Number.isFinite(total))) {
      throw new SampleInvalidError(`invalid sample for ${this.id}: ts=${ts} good=${good} total=${total}`, {
        series: this.id,
        ts,
        good,
        total,
      });
    }
    const c = this.cells;
    const L = this.layout;
    const head = c[HEAD_TS]!;
    if (!(ts <= head)) {
      if (Number.isNaN(head)) this.start(ts);
      else {
        for (let i = 0; i < L.resolution.length; i++) {
          const m = L.meta[i]!;
          if (!(ts > c[m + M_HEAD_END]!)) continue;
          const r = L.resolution[i]!;
          if (ts <= c[m + M_HEAD_END]! + r) this.step(i);
          else this.advance(i, Math.ceil(ts / r));
        }
      }
      c[HEAD_TS] = ts;
    }
    if (!(ts >= c[FIRST_TS]!)) c[FIRST_TS] = ts;
    if (total > 0 && !(ts <= c[LAST_TRAFFIC_TS]!)) c[LAST_TRAFFIC_TS] = ts;

    let dg = good;
    let dt = total;
    const n0 = L.slots[0]!;
    const m0 = L.meta[0]!;
    const b0 = Math.ceil(ts / L.resolution[0]!);
    const h0 = c[m0 + M_HEAD]!;
    if (b0 > h0 - n0) {
      const so = L.data[0]! + 5 * (b0 === h0 ? c[m0 + M_HEAD_SLOT]! : slot(b0, n0)) + 2;
      if (c[so] === ts) {
        dg = good - c[so + 1]!;
        dt = total - c[so + 2]!;
      }
      c[so] = ts;
      c[so + 1] = good;
      c[so + 2] = total;
      if (dg === 0 && dt === 0) return;
    }
    if (ts >= c[HEAD_TS]!) {
      // In-order write: the sample is in every tier's head bucket, whose sums live in the meta cells.
      for (let i = 0; i < L.resolution.length; i++) {
        const m = L.meta[i]!;
        c[m + M_HEAD_GOOD] = c[m + M_HEAD_GOOD]! + dg;
        c[m + M_HEAD_TOTAL] = c[m + M_HEAD_TOTAL]! + dt;
      }
      return;
    }
    for (let i = 0; i < L.resolution.length; i++) {
      const n = L.slots[i]!;
      const m = L.meta[i]!;
      const b = Math.ceil(ts / L.resolution[i]!);
      const h = c[m + M_HEAD]!;
      if (b <= h - n) continue;
      const d = L.data[i]!;
      const st = L.stride[i]!;
      for (let k = b; k < h; k++) {
        const o = d + st * slot(k, n);
        c[o] = c[o]! + dg;
        c[o + 1] = c[o + 1]! + dt;
      }
      c[m + M_HEAD_GOOD] = c[m + M_HEAD_GOOD]! + dg;
      c[m + M_HEAD_TOTAL] = c[m + M_HEAD_TOTAL]! + dt;
    }
  }

  /**
   * What the finest tier remembers of the sample at `ts`: 1 with its good and total in
   * `out[0]`, `out[1]` when the last sample written to its slot has this timestamp; 0 when the slot
   * saw no sample since it entered the ring (so none at `ts`); -1 when unknown (older than the
   * finest span, or the slot holds a sample with another timestamp of the same bucket).
   */
  recall(ts: number, out: Float64Array): 1 | 0 | -1 {
    const c = this.cells;
    const L = this.layout;
    const n0 = L.slots[0]!;
    const m0 = L.meta[0]!;
    const b0 = Math.ceil(ts / L.resolution[0]!);
    const h0 = c[m0 + M_HEAD]!;
    if (!(b0 > h0 - n0)) return -1;
    if (b0 > h0) return 0;
    const so = L.data[0]! + 5 * (b0 === h0 ? c[m0 + M_HEAD_SLOT]! : slot(b0, n0)) + 2;
    const at = c[so]!;
    if (at === ts) {
      out[0] = c[so + 1]!;
      out[1] = c[so + 2]!;
      return 1;
    }
    return Number.isNaN(at) || at === 0 ? 0 : -1;
  }

  /** Writes a reading of cumulative good and total counters at `ts`. */
  appendCounter(ts: number, good: number, total: number): void {
    if (
      !(Number.isFinite(ts) && good >= 0 && total >= 0 && Number.isFinite(good) && Number.isFinite(total))
    ) {
      throw new SampleInvalidError(`invalid counter reading for ${this.id}: ts=${ts}`, {
        series: this.id,
        ts,
        good,
        total,
      });
    }
    const c = this.cells;
    const lastTs = c[COUNTER_LAST_TS]!;
    if (ts < lastTs) {
      this.ignoredLate++;
      return;
    }
    if (ts > lastTs) {
      c[COUNTER_PREV_TS] = lastTs;
      c[COUNTER_PREV_GOOD] = c[COUNTER_LAST_GOOD]!;
      c[COUNTER_PREV_TOTAL] = c[COUNTER_LAST_TOTAL]!;
    }
    c[COUNTER_LAST_TS] = ts;
    c[COUNTER_LAST_GOOD] = good;
    c[COUNTER_LAST_TOTAL] = total;
    if (Number.isNaN(c[COUNTER_PREV_TS]!)) return;
    const pg = c[COUNTER_PREV_GOOD]!;
    const pt = c[COUNTER_PREV_TOTAL]!;
    const dt = total >= pt ? total - pt : total;
    const dg = Math.min(good >= pg ? good - pg : good, dt);
    this.appendInterval(ts, dg, dt);
  }

  /** Sum over `(fromMs, toMs]`, both ends rounded up to the bucket boundary of the finest tier that covers them. */
  sum(fromMs: number, toMs: number): WindowSum {
    const s = this.sumBounded(fromMs, toMs);
    return { good: s.good, total: s.total };
  }

  /** Like {@link sum}, with the bounds actually covered. */
  sumBounded(fromMs: number, toMs: number): BoundedWindowSum {
    const c = this.cells;
    const L = this.layout;
    const first = c[FIRST_TS]!;
    const last = L.resolution.length - 1;
    for (let i = 0; i <= last; i++) {
      const r = L.resolution[i]!;
      const n = L.slots[i]!;
      const h = c[L.meta[i]!]!;
      let bf = Math.ceil(fromMs / r);
      const floorBucket = Math.ceil(first / r) - 1;
      if (bf < floorBucket) bf = floorBucket;
      if (bf < h - n) {
        if (i < last) continue;
        bf = h - n;
      }
      const be = Math.ceil(toMs / r);
      if (Number.isNaN(first) || be <= bf)
        return { good: 0, total: 0, fromMs: bf * r, toMs: be * r, resolutionMs: r };
      const g = this.cumAt(i, be, 0) - this.cumAt(i, bf, 0);
      const t = this.cumAt(i, be, 1) - this.cumAt(i, bf, 1);
      return { good: g, total: t, fromMs: bf * r, toMs: be * r, resolutionMs: r };
    }
    return { good: 0, total: 0, fromMs, toMs, resolutionMs: 0 };
  }

  /**
   * Writes good and total over `(fromMs, toMs]` into `out[offset]`, `out[offset + 1]` without
   * allocating: the evaluator's hot path.
   */
  sumInto(fromMs: number, toMs: number, out: Float64Array, offset: number): void {
    const c = this.cells;
    const L = this.layout;
    const first = c[FIRST_TS]!;
    const last = L.resolution.length - 1;
    out[offset] = 0;
    out[offset + 1] = 0;
    if (Number.isNaN(first)) return;
    for (let i = 0; i <= last; i++) {
      const r = L.resolution[i]!;
      const n = L.slots[i]!;
      const m = L.meta[i]!;
      const h = c[m + M_HEAD]!;
      let bf = Math.ceil(fromMs / r);
      const floorBucket = Math.ceil(first / r) - 1;
      if (bf < floorBucket) bf = floorBucket;
      if (bf < h - n) {
        if (i < last) continue;
        bf = h - n;
      }
      const be = Math.ceil(toMs / r);
      if (be <= bf || bf >= h) return;
      let eg: number;
      let et: number;
      if (be >= h) {
        eg = c[m + M_HEAD_GOOD]!;
        et = c[m + M_HEAD_TOTAL]!;
      } else {
        const eo = L.data[i]! + L.stride[i]! * slot(be, n);
        eg = c[eo]!;
        et = c[eo + 1]!;
      }
      if (bf === h - n) {
        out[offset] = eg - c[m + M_FLOOR_GOOD]!;
        out[offset + 1] = et - c[m + M_FLOOR_TOTAL]!;
      } else {
        const fo = L.data[i]! + L.stride[i]! * slot(bf, n);
        out[offset] = eg - c[fo]!;
        out[offset + 1] = et - c[fo + 1]!;
      }
      return;
    }
  }

  /** Cumulative good (field 0) or total (field 1) through bucket `k` of tier `i`; k >= head - slots. */
  private cumAt(i: number, k: number, field: 0 | 1): number {
    const c = this.cells;
    const L = this.layout;
    const m = L.meta[i]!;
    const h = c[m + M_HEAD]!;
    const n = L.slots[i]!;
    if (k >= h) return c[m + M_HEAD_GOOD + field]!;
    if (k === h - n) return c[m + M_FLOOR_GOOD + field]!;
    return c[L.data[i]! + L.stride[i]! * slot(k, n) + field]!;
  }

  private start(ts: number): void {
    const c = this.cells;
    const L = this.layout;
    for (let i = 0; i < L.resolution.length; i++) {
      const m = L.meta[i]!;
      const b = Math.ceil(ts / L.resolution[i]!);
      c[m + M_HEAD] = b;
      c[m + M_HEAD_SLOT] = slot(b, L.slots[i]!);
      c[m + M_HEAD_END] = b * L.resolution[i]!;
    }
    c[FIRST_TS] = ts;
  }

  /** Moves tier `i`'s head one bucket on: the common case of in-order samples. */
  private step(i: number): void {
    const c = this.cells;
    const L = this.layout;
    const m = L.meta[i]!;
    const n = L.slots[i]!;
    const d = L.data[i]!;
    const st = L.stride[i]!;
    const cg = c[m + M_HEAD_GOOD]!;
    const ct = c[m + M_HEAD_TOTAL]!;
    let s = c[m + M_HEAD_SLOT]!;
    let o = d + st * s;
    c[o] = cg;
    c[o + 1] = ct;
    s = s + 1 === n ? 0 : s + 1;
    o = d + st * s;
    c[m + M_FLOOR_GOOD] = c[o]!;
    c[m + M_FLOOR_TOTAL] = c[o + 1]!;
    if (i === 0) c[o + 2] = Number.NaN;
    c[m + M_HEAD_SLOT] = s;
    c[m + M_HEAD] = c[m + M_HEAD]! + 1;
    c[m + M_HEAD_END] = c[m + M_HEAD_END]! + L.resolution[i]!;
  }

  /**
   * Moves tier `i`'s head to bucket `b`: the old head's sums go into its slot, the buckets in
   * between carry them, and every bucket that leaves the ring becomes the floor.
   */
  private advance(i: number, b: number): void {
    const c = this.cells;
    const L = this.layout;
    const m = L.meta[i]!;
    const h = c[m + M_HEAD]!;
    if (b <= h) return;
    const n = L.slots[i]!;
    const d = L.data[i]!;
    const st = L.stride[i]!;
    const cg = c[m + M_HEAD_GOOD]!;
    const ct = c[m + M_HEAD_TOTAL]!;
    const sampled = i === 0;
    if (b - h >= n) {
      for (let s = 0; s < n; s++) {
        const o = d + st * s;
        c[o] = cg;
        c[o + 1] = ct;
        if (sampled) c[o + 2] = Number.NaN;
      }
      c[m + M_FLOOR_GOOD] = cg;
      c[m + M_FLOOR_TOTAL] = ct;
      c[m + M_HEAD_SLOT] = slot(b, n);
    } else {
      let s = c[m + M_HEAD_SLOT]!;
      let o = d + st * s;
      c[o] = cg;
      c[o + 1] = ct;
      for (let k = h + 1; k <= b; k++) {
        s = s + 1 === n ? 0 : s + 1;
        o = d + st * s;
        c[m + M_FLOOR_GOOD] = c[o]!;
        c[m + M_FLOOR_TOTAL] = c[o + 1]!;
        c[o] = cg;
        c[o + 1] = ct;
        if (sampled) c[o + 2] = Number.NaN;
      }
      c[m + M_HEAD_SLOT] = s;
    }
    c[m + M_HEAD] = b;
    c[m + M_HEAD_END] = b * L.resolution[i]!;
  }
}
/**
 * Ring index of bucket `k`, also for negative buckets. Written with a float division instead of
 * `%` because bucket numbers exceed int32 and V8 then compiles `%` to a slow fmod call.
 */
function slot(k: number, n: number): number {
  return k - Math.floor(k / n) * n;
}
