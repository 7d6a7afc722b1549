import { SampleInvalidError } from "./errors.js";
import {
  COUNTER_LAST_GOOD,
  COUNTER_LAST_TOTAL,
  COUNTER_LAST_TS,
  COUNTER_PREV_GOOD,
  COUNTER_PREV_TOTAL,
  COUNTER_PREV_TS,
  MP_END,
  MP_FLOOR,
  MP_OFFSET,
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
 * - Writing into the current bucket is O(1): the counts go to the series' running sums, which are
 *   every tier's head bucket sums (less the tier's offset). A late sample also adds its counts to
 *   its bucket and to every later cumulative cell of each tier (O(distance to head)). A sample older
 *   than a tier's span is not kept in that tier (no window of that tier can reach it any more): it
 *   goes to the tier's offset instead.
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
  /** The cells of this series' group (a slab shared with its neighbours); see {@link SeriesLayout}. */
  readonly cells: Float64Array;
  /** Cell of this series' first pair in `cells`. */
  readonly base: number;
  /** Cells between this series' consecutive pairs (`layout.row`). */
  private readonly row: number;
  ignoredLate = 0;

  /**
   * `cells`, when given, holds this series' zeroed pairs from `base` on, `layout.row` cells apart
   * (e.g. a lane of a store slab); otherwise the series gets cells of its own.
   */
  constructor(id: string, kind: SampleKind, layout: SeriesLayout, cells?: Float64Array, base = 0) {
    this.id = id;
    this.kind = kind;
    this.layout = layout;
    this.cells = cells ?? new Float64Array(layout.length * layout.lanes);
    this.base = cells ? base : 0;
    this.row = layout.row;
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    c[b] = Number.NaN; // HEAD_TS
    c[b + 1] = Number.NaN; // FIRST_TS
    c[b + R] = Number.NaN; // LAST_TRAFFIC_TS
    c[b + R + 1] = Number.NaN; // COARSE_HEAD_END
    c[this.at(COUNTER_LAST_TS)] = Number.NaN;
    c[this.at(COUNTER_PREV_TS)] = Number.NaN;
    // The finest ring's sample memory starts as (0, 0, 0): matching a sample at ts 0 against an
    // empty slot replaces nothing, so it needs no NaN marking (which would touch every page up front).
  }

  /** Timestamp of the newest sample, or NaN before the first one. */
  get headTs(): number {
    return this.cells[this.base]!;
  }

  /** Timestamp of the oldest sample, or NaN before the first one. */
  get firstTs(): number {
    return this.cells[this.base + 1]!;
  }

  /** Timestamp of the newest sample with events (total > 0), or NaN. */
  get lastTrafficTs(): number {
    return this.cells[this.base + this.row]!;
  }

  /** Writes one sample of this series' kind. */
  append(ts: number, good: number, total: number): void {
    if (this.kind === "cumulative") this.appendCounter(ts, good, total);
    else this.appendInterval(ts, good, total);
  }

  /** Writes the counts of the interval ending at `ts`. */
  appendInterval(ts: number, good: number, total: number): void {
    if (!(good >= 0 && total >= good && ts - ts === 0 && total - total === 0)) {
      throw new SampleInvalidError(`invalid sample for ${this.id}: ts=${ts} good=${good} total=${total}`, {
        series: this.id,
        ts,
        good,
        total,
      });
    }
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    const r0 = L.resolution[0]!;
    const m0 = b + L.meta[0]! * R;
    const head = c[b]!;
    if (!(ts <= head)) {
      if (Number.isNaN(head)) this.start(ts);
      else {
        // The finest tier moves on most samples; the coarser ones only past their earliest head end.
        const e0 = c[m0 + MP_END * R]!;
        if (ts > e0) {
          if (ts <= e0 + r0) this.step(0, m0);
          else this.advance(0, m0, Math.ceil(ts / r0));
          if (ts > c[b + R + 1]!) this.roll(ts);
        }
      }
      c[b] = ts;
    }
    if (!(ts >= c[b + 1]!)) c[b + 1] = ts;
    if (total > 0 && !(ts <= c[b + R]!)) c[b + R] = ts;

    let dg = good;
    let dt = total;
    // The finest tier's slot of `ts`: its head slot when `ts` is in the head bucket (no division).
    let s = -1;
    if (ts > c[m0 + MP_END * R]! - r0) s = c[m0 + 1]!;
    else {
      const n0 = L.slots[0]!;
      const k0 = Math.ceil(ts / r0);
      if (k0 > c[m0]! - n0) s = slot(k0, n0);
    }
    if (s >= 0) {
      const mo = b + (L.memo + s) * R;
      const half = s >> 1;
      const mt = b + (L.memoTotal + half) * R + (s - 2 * half);
      if (c[mo] === ts) {
        dg = good - c[mo + 1]!;
        dt = total - c[mt]!;
      }
      c[mo] = ts;
      c[mo + 1] = good;
      c[mt] = total;
      if (dg === 0 && dt === 0) return;
    }
    const cum = b + 2 * R;
    if (ts < c[b]!) this.late(ts, dg, dt);
    // Every tier's head bucket sums are the running sums minus the tier's offset.
    c[cum] = c[cum]! + dg;
    c[cum + 1] = c[cum + 1]! + dt;
  }

  /** A write before the head: the counts go to every later cumulative cell of each tier that keeps `ts`. */
  private late(ts: number, dg: number, dt: number): void {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    for (let i = 0; i < L.resolution.length; i++) {
      const n = L.slots[i]!;
      const m = b + L.meta[i]! * R;
      const k0 = Math.ceil(ts / L.resolution[i]!);
      const h = c[m]!;
      if (k0 <= h - n) {
        // Too old for this tier: its head sums must not see it.
        const o = m + MP_OFFSET * R;
        c[o] = c[o]! + dg;
        c[o + 1] = c[o + 1]! + dt;
        continue;
      }
      const d = b + L.ring[i]! * R;
      let s = slot(k0, n);
      for (let k = k0; k < h; k++) {
        const o = d + s * R;
        c[o] = c[o]! + dg;
        c[o + 1] = c[o + 1]! + dt;
        s = s + 1 === n ? 0 : s + 1;
      }
    }
  }

  /**
   * What the finest tier remembers of the sample at `ts`: 1 with its good and total in
   * `out[0]`, `out[1]` when the last sample written to its slot has this timestamp; 0 when the slot
   * saw no sample since it entered the ring, or `ts` is newer than the newest sample (so none at
   * `ts`); -1 when unknown (older than the finest span, or the slot holds a sample with another
   * timestamp of the same bucket).
   */
  recall(ts: number, out: Float64Array): 1 | 0 | -1 {
    const c = this.cells;
    const b = this.base;
    // Newer than the head: several samples per finest bucket (scrapes every few seconds) would
    // otherwise find the bucket's previous sample in the slot and be checked against the database.
    if (ts > c[b]!) return 0;
    const R = this.row;
    const L = this.layout;
    const n0 = L.slots[0]!;
    const m0 = b + L.meta[0]! * R;
    const b0 = Math.ceil(ts / L.resolution[0]!);
    const h0 = c[m0]!;
    if (!(b0 > h0 - n0)) return -1;
    if (b0 > h0) return 0;
    const s = b0 === h0 ? c[m0 + 1]! : slot(b0, n0);
    const mo = b + (L.memo + s) * R;
    const at = c[mo]!;
    if (at === ts) {
      const half = s >> 1;
      out[0] = c[mo + 1]!;
      out[1] = c[b + (L.memoTotal + half) * R + (s - 2 * half)]!;
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
    const lastTsAt = this.at(COUNTER_LAST_TS);
    const lastTs = c[lastTsAt]!;
    if (ts < lastTs) {
      this.ignoredLate++;
      return;
    }
    const lastGood = this.at(COUNTER_LAST_GOOD);
    const lastTotal = this.at(COUNTER_LAST_TOTAL);
    const prevTs = this.at(COUNTER_PREV_TS);
    const prevGood = this.at(COUNTER_PREV_GOOD);
    const prevTotal = this.at(COUNTER_PREV_TOTAL);
    if (ts > lastTs) {
      c[prevTs] = lastTs;
      c[prevGood] = c[lastGood]!;
      c[prevTotal] = c[lastTotal]!;
    }
    c[lastTsAt] = ts;
    c[lastGood] = good;
    c[lastTotal] = total;
    if (Number.isNaN(c[prevTs]!)) return;
    const pg = c[prevGood]!;
    const pt = c[prevTotal]!;
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
    const first = c[this.base + 1]!;
    const last = L.resolution.length - 1;
    for (let i = 0; i <= last; i++) {
      const r = L.resolution[i]!;
      const n = L.slots[i]!;
      const h = c[this.base + L.meta[i]! * this.row]!;
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
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    const first = c[b + 1]!;
    const last = L.resolution.length - 1;
    out[offset] = 0;
    out[offset + 1] = 0;
    if (Number.isNaN(first)) return;
    // One division per window in the common case: bucket numbers near the head are found from the
    // head bucket and its slot rather than by dividing.
    for (let i = 0; i <= last; i++) {
      const r = L.resolution[i]!;
      const n = L.slots[i]!;
      const m = b + L.meta[i]! * R;
      const h = c[m]!;
      let bf = Math.ceil(fromMs / r);
      if (fromMs < first) {
        const floorBucket = Math.ceil(first / r) - 1;
        if (bf < floorBucket) bf = floorBucket;
      }
      if (bf < h - n) {
        if (i < last) continue;
        bf = h - n;
      }
      if (bf >= h) return;
      const hs = c[m + 1]!;
      let eg: number;
      let et: number;
      if (toMs > (h - 1) * r) {
        const cum = b + 2 * R;
        const off = m + MP_OFFSET * R;
        eg = c[cum]! - c[off]!;
        et = c[cum + 1]! - c[off + 1]!;
      } else {
        const be = Math.ceil(toMs / r);
        if (be <= bf) return;
        let s = hs - (h - be);
        if (s < 0) s += n;
        const eo = b + (L.ring[i]! + s) * R;
        eg = c[eo]!;
        et = c[eo + 1]!;
      }
      let fo: number;
      if (bf === h - n) fo = m + MP_FLOOR * R;
      else {
        let s = hs - (h - bf);
        if (s < 0) s += n;
        fo = b + (L.ring[i]! + s) * R;
      }
      out[offset] = eg - c[fo]!;
      out[offset + 1] = et - c[fo + 1]!;
      return;
    }
  }

  /**
   * {@link sumInto} for several windows ending at `nowMs` at once: for each `j` of `which`, the
   * sums over `(nowMs - windowsMs[j], nowMs]` go to `out[offset + 2j]`, `out[offset + 2j + 1]`.
   */
  sumWindowsInto(
    nowMs: number,
    windowsMs: Float64Array,
    which: Int32Array,
    out: Float64Array,
    offset: number,
  ): void {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    const first = c[b + 1]!;
    const last = L.resolution.length - 1;
    const cg = c[b + 2 * R]!;
    const ct = c[b + 2 * R + 1]!;
    for (let q = 0; q < which.length; q++) {
      const j = which[q]!;
      const o = offset + 2 * j;
      out[o] = 0;
      out[o + 1] = 0;
      if (Number.isNaN(first)) continue;
      const fromMs = nowMs - windowsMs[j]!;
      for (let i = 0; i <= last; i++) {
        const r = L.resolution[i]!;
        const n = L.slots[i]!;
        const m = b + L.meta[i]! * R;
        const h = c[m]!;
        let bf = Math.ceil(fromMs / r);
        if (fromMs < first) {
          const floorBucket = Math.ceil(first / r) - 1;
          if (bf < floorBucket) bf = floorBucket;
        }
        if (bf < h - n) {
          if (i < last) continue;
          bf = h - n;
        }
        if (bf >= h) break;
        const hs = c[m + 1]!;
        let eg: number;
        let et: number;
        if (nowMs > (h - 1) * r) {
          const off = m + MP_OFFSET * R;
          eg = cg - c[off]!;
          et = ct - c[off + 1]!;
        } else {
          const be = Math.ceil(nowMs / r);
          if (be <= bf) break;
          let s = hs - (h - be);
          if (s < 0) s += n;
          const eo = b + (L.ring[i]! + s) * R;
          eg = c[eo]!;
          et = c[eo + 1]!;
        }
        let fo: number;
        if (bf === h - n) fo = m + MP_FLOOR * R;
        else {
          let s = hs - (h - bf);
          if (s < 0) s += n;
          fo = b + (L.ring[i]! + s) * R;
        }
        out[o] = eg - c[fo]!;
        out[o + 1] = et - c[fo + 1]!;
        break;
      }
    }
  }

  /** Cell of logical cell `x` (see the header constants of series-layout.ts). */
  private at(x: number): number {
    return this.base + (x >> 1) * this.row + (x & 1);
  }

  /** Cumulative good (field 0) or total (field 1) through bucket `k` of tier `i`; k >= head - slots. */
  private cumAt(i: number, k: number, field: 0 | 1): number {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    const m = b + L.meta[i]! * R;
    const h = c[m]!;
    const n = L.slots[i]!;
    if (k >= h) return c[b + 2 * R + field]! - c[m + MP_OFFSET * R + field]!;
    if (k === h - n) return c[m + MP_FLOOR * R + field]!;
    return c[b + (L.ring[i]! + slot(k, n)) * R + field]!;
  }

  private start(ts: number): void {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    let minEnd = Number.POSITIVE_INFINITY;
    for (let i = 0; i < L.resolution.length; i++) {
      const m = b + L.meta[i]! * R;
      const r = L.resolution[i]!;
      const k = Math.ceil(ts / r);
      c[m] = k;
      c[m + MP_END * R] = k * r;
      c[m + 1] = slot(k, L.slots[i]!);
      if (i > 0 && k * r < minEnd) minEnd = k * r;
    }
    c[b + 1] = ts;
    c[b + R + 1] = minEnd;
  }

  /** Moves the head bucket of every coarser tier (all but the finest) whose head ends before `ts`. */
  private roll(ts: number): void {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    let minEnd = Number.POSITIVE_INFINITY;
    for (let i = 1; i < L.resolution.length; i++) {
      const m = b + L.meta[i]! * R;
      let end = c[m + MP_END * R]!;
      if (ts > end) {
        const r = L.resolution[i]!;
        if (ts <= end + r) this.step(i, m);
        else this.advance(i, m, Math.ceil(ts / r));
        end = c[m + MP_END * R]!;
      }
      if (end < minEnd) minEnd = end;
    }
    c[b + R + 1] = minEnd;
  }

  /** Moves tier `i`'s head (meta pair at cell `m`) one bucket on: the common case of in-order samples. */
  private step(i: number, m: number): void {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    const n = L.slots[i]!;
    const d = b + L.ring[i]! * R;
    const off = m + MP_OFFSET * R;
    const fl = m + MP_FLOOR * R;
    const sl = m + 1;
    let s = c[sl]!;
    let o = d + s * R;
    c[o] = c[b + 2 * R]! - c[off]!;
    c[o + 1] = c[b + 2 * R + 1]! - c[off + 1]!;
    s = s + 1 === n ? 0 : s + 1;
    o = d + s * R;
    c[fl] = c[o]!;
    c[fl + 1] = c[o + 1]!;
    if (i === 0) c[b + (L.memo + s) * R] = Number.NaN;
    c[sl] = s;
    c[m] = c[m]! + 1;
    c[m + MP_END * R] = c[m + MP_END * R]! + L.resolution[i]!;
  }

  /**
   * Moves tier `i`'s head to bucket `k`: the old head's sums go into its slot, the buckets in
   * between carry them, and every bucket that leaves the ring becomes the floor.
   */
  private advance(i: number, m: number, k: number): void {
    const c = this.cells;
    const b = this.base;
    const R = this.row;
    const L = this.layout;
    const h = c[m]!;
    if (k <= h) return;
    const n = L.slots[i]!;
    const d = b + L.ring[i]! * R;
    const off = m + MP_OFFSET * R;
    const fl = m + MP_FLOOR * R;
    const sl = m + 1;
    const cg = c[b + 2 * R]! - c[off]!;
    const ct = c[b + 2 * R + 1]! - c[off + 1]!;
    const memo = i === 0 ? b + L.memo * R : -1;
    if (k - h >= n) {
      for (let s = 0; s < n; s++) {
        const o = d + s * R;
        c[o] = cg;
        c[o + 1] = ct;
        if (memo >= 0) c[memo + s * R] = Number.NaN;
      }
      c[fl] = cg;
      c[fl + 1] = ct;
      c[sl] = slot(k, n);
    } else {
      let s = c[sl]!;
      let o = d + s * R;
      c[o] = cg;
      c[o + 1] = ct;
      for (let q = h + 1; q <= k; q++) {
        s = s + 1 === n ? 0 : s + 1;
        o = d + s * R;
        c[fl] = c[o]!;
        c[fl + 1] = c[o + 1]!;
        c[o] = cg;
        c[o + 1] = ct;
        if (memo >= 0) c[memo + s * R] = Number.NaN;
      }
      c[sl] = s;
    }
    c[m] = k;
    c[m + MP_END * R] = k * L.resolution[i]!;
  }

  /** Zeroes this series' cells (for reuse by another series). */
  clear(): void {
    const c = this.cells;
    const R = this.row;
    const end = this.base + this.layout.pairs * R;
    for (let o = this.base; o < end; o += R) {
      c[o] = 0;
      c[o + 1] = 0;
    }
  }
}

/**
 * Ring index of bucket `k`, also for negative buckets. Written with a float division instead of
 * `%` because bucket numbers exceed int32 and V8 then compiles `%` to a slow fmod call.
 */
function slot(k: number, n: number): number {
  return k - Math.floor(k / n) * n;
}
