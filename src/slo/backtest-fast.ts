import { DEFAULT_TIERS, type TierSpec } from "../tsdb/tier.js";
import type { WindowSum } from "../tsdb/window-sum.js";
import { type CalendarPeriod, calendarPeriod } from "./calendar.js";
import { budgetStatus, evaluate, transitions } from "./evaluator-core.js";
import {
  compilePlan,
  HELD_SHIFT,
  lineMask,
  MISSING_DATA_BIT,
  sumsLength,
  type WindowSource,
} from "./evaluator-plan.js";
import { type AlertEvent, MISSING_DATA_LINE, type SloStatus } from "./evaluator-types.js";
import type { Slo } from "./model.js";

const LINE_BITS = (1 << HELD_SHIFT) - 1;
/** Ticks swept per window before the next window takes the same ticks. */
const HOT_BLOCK = 2048;

type Typed = Float64Array | Int32Array | Uint8Array;

/** Longest array {@link scratch} keeps (2^20 elements: 8 MB of doubles, 4 months of 10 s samples). */
const SCRATCH_KEEP_MAX = 1 << 20;

/**
 * Large per-run arrays kept from one run to the next (runs are synchronous, so one set per thread
 * is enough): a backtest of many SLOs then allocates them once instead of some 10 MB per SLO for
 * the garbage collector. Each request gets a view of the length it asks for; longer ones than
 * {@link SCRATCH_KEEP_MAX} are allocated for the run alone, so a long backtest holds no memory after.
 */
const scratch = {
  buffers: new Map<string, Typed>(),
  get<A extends Typed>(name: string, length: number, make: (n: number) => A): A {
    if (length > SCRATCH_KEEP_MAX) return make(length);
    let buffer = this.buffers.get(name) as A | undefined;
    if (!buffer || buffer.length < length) {
      buffer = make(Math.min(SCRATCH_KEEP_MAX, Math.max(length, Math.ceil((buffer?.length ?? 0) * 1.5))));
      this.buffers.set(name, buffer);
    }
    return buffer.subarray(0, length) as A;
  },
  f64(name: string, length: number): Float64Array {
    return this.get(name, length, (n) => new Float64Array(n));
  },
  i32(name: string, length: number): Int32Array {
    return this.get(name, length, (n) => new Int32Array(n));
  },
  u8(name: string, length: number): Uint8Array {
    return this.get(name, length, (n) => new Uint8Array(n));
  },
};

/** What the array backtest needs from the run, in the shape the store-based run produces it. */
export interface FastBacktestOutcome {
  readonly events: AlertEvent[];
  readonly ticks: number;
  readonly lastTick: number;
  readonly firstBad: number;
  readonly final: SloStatus;
}

export interface FastBacktestOptions {
  readonly tickMs: number;
  readonly tiers?: readonly TierSpec[];
  readonly onProgress?: (progress: { readonly samples: number; readonly atMs: number }) => void;
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
}

/**
 * Whether {@link fastBacktest} gives exactly what the store-based run gives: per-interval samples
 * with strictly ascending finite timestamps and valid counts, occurrences budgeting (timeslices
 * judge slices through the store), and tiers whose resolutions are multiples of the finest one
 * (then every tier's head bucket is the one of the newest sample, as the store keeps it).
 */
export function fastBacktestApplies(
  slo: Slo,
  ts: ArrayLike<number>,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
  tiers: readonly TierSpec[] = DEFAULT_TIERS,
): boolean {
  if (slo.budgeting.method !== "occurrences" || ts.length === 0) return false;
  const r0 = tiers[0]!.resolutionMs;
  for (const t of tiers) if (!(t.resolutionMs % r0 === 0 && t.slots > 0)) return false;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const g = good[i]!;
    const n = total[i]!;
    if (!(t > prev && Number.isFinite(t) && g >= 0 && n >= g && Number.isFinite(n))) return false;
    prev = t;
  }
  return true;
}

/** The store's tiers as the kernels below read them, and the buckets just below the first sample. */
interface Layout {
  readonly tiers: number;
  readonly res: Float64Array;
  readonly slots: Float64Array;
  /** Per tier, the bucket below the first sample's: the store never reads before it. */
  readonly floorBucket: Float64Array;
  readonly first: number;
}

/** Where the run stands for the window sums of a full evaluation: samples seen, each tier's head bucket. */
interface RunCursor {
  seen: number;
  readonly head: Float64Array;
}

/**
 * The backtest of in-order per-interval samples without the store: every window sum the store
 * would answer at a tick is a difference of prefix sums over the samples, cut at the same bucket
 * boundary of the same tier the store picks (see `SeriesBuffer.sumInto`), so every alert decision,
 * transition and the final status equal those of the {@link Evaluator} fed through a store.
 * Callers check {@link fastBacktestApplies} first.
 *
 * The per-tick work is done by the top-level kernels below, over typed arrays reused from run to
 * run; the closures here only answer the few ticks where some line's short window burns.
 */
export function fastBacktest(
  slo: Slo,
  tsIn: ArrayLike<number>,
  goodIn: ArrayLike<number>,
  totalIn: ArrayLike<number>,
  options: FastBacktestOptions,
): FastBacktestOutcome {
  const ts = asFloat64(tsIn, "ts");
  const good = asFloat64(goodIn, "good");
  const total = asFloat64(totalIn, "total");
  const tickMs = options.tickMs;
  const n = ts.length;
  const layout = layoutOf(options.tiers ?? DEFAULT_TIERS, ts[0]!);
  const pg = scratch.f64("pg", n + 1);
  const pt = scratch.f64("pt", n + 1);
  const plan = compilePlan(slo);
  const windows = plan.windowsMs;
  const sums = new Float64Array(sumsLength(plan));
  const run: RunCursor = {
    seen: 0,
    head: new Float64Array(layout.tiers),
  };

  /** Samples at or before `x`, by binary search. */
  const countAtOrBefore = (x: number): number => {
    let lo = 0;
    let hi = run.seen;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** Samples before the cut of the window starting at `fromMs`, or −1 when the window is empty. */
  const cutCount = (fromMs: number): number => {
    const x = cutAt(layout, run.head, fromMs);
    return Number.isNaN(x) ? -1 : countAtOrBefore(x);
  };

  const sumAt = (fromMs: number): WindowSum => {
    const k = cutCount(fromMs);
    if (k < 0) return { good: 0, total: 0 };
    return { good: pg[run.seen]! - pg[k]!, total: pt[run.seen]! - pt[k]! };
  };

  const source: WindowSource = {
    sumInto(fromMs: number, _toMs: number, out: Float64Array, offset: number): void {
      const k = cutCount(fromMs);
      out[offset] = k < 0 ? 0 : pg[run.seen]! - pg[k]!;
      out[offset + 1] = k < 0 ? 0 : pt[run.seen]! - pt[k]!;
    },
  };

  let period: CalendarPeriod | null = null;
  const periodAt = (at: number): CalendarPeriod | null => {
    const window = slo.window;
    if (window.kind !== "calendar") return null;
    if (!period || at >= period.endMs || at < period.startMs) period = calendarPeriod(window, at);
    return period;
  };
  const budgetRemaining = (at: number): number => {
    const pd = periodAt(at);
    const rolling = slo.window.kind === "rolling" ? slo.window.lengthMs : 0;
    const from = pd ? pd.startMs : at - rolling;
    const length = pd ? pd.endMs - pd.startMs : rolling;
    const s = sumAt(from);
    return budgetStatus(slo, s.good, s.total, length, 0).remainingShare;
  };

  const events: AlertEvent[] = [];
  const every = options.onProgress ? (options.progressEvery ?? 100_000) : 0;
  let nextProgress = every > 0 ? every : Number.NaN;
  const tick0 = Math.ceil(layout.first / tickMs) * tickMs;
  const end = Math.ceil(ts[n - 1]! / tickMs) * tickMs;
  const K = Math.round((end - tick0) / tickMs) + 1;
  const tickRange: Ticks = { tick0, tickMs, count: K };
  const seen = scratch.i32("seen", K);
  const firstBad = scanSamples({ ts, good, total }, tickRange, { pg, pt, seen });
  // Ticks where some line's short window burns at its factor: only there can a line fire or be held,
  // so only those are evaluated in full. Each short window is swept over all ticks in a tight loop.
  const hot = scratch.u8("hot", K);
  hot.fill(0);
  const sweeps = [...new Set(plan.shortIndex)].map((j) => ({
    lengthMs: windows[j]!,
    burn: {
      errorBudget: plan.errorBudget,
      factor: Math.min(...plan.burnRates.filter((_, i) => plan.shortIndex[i] === j)),
    },
    cursor: { k: 0 },
  }));
  // Block by block, every window: the samples a block reads stay in cache from one window to the next.
  for (let from = 0; from < K; from += HOT_BLOCK) {
    const to = Math.min(K, from + HOT_BLOCK);
    for (const w of sweeps) markHot(ts, pg, pt, seen, layout, tickRange, w, from, to, hot);
  }

  const missingAfter = plan.missingDataAfterMs;
  let mask = 0;
  let ticks = 0;
  let lastTick = Number.NaN;
  let p = 0;
  let headTs = Number.NaN;
  let lastTraffic = Number.NaN;
  for (let t = 0, tick = tick0; t < K; t++, tick += tickMs) {
    if ((t & 1023) === 0) options.signal?.throwIfAborted();
    const seenNow = seen[t]!;
    if (p < seenNow) {
      if (every > 0) {
        while (nextProgress <= seenNow) {
          options.onProgress?.({ samples: nextProgress, atMs: ts[nextProgress - 1]! });
          nextProgress += every;
        }
      }
      for (let i = seenNow - 1; i >= p; i--) {
        if (total[i]! > 0) {
          lastTraffic = ts[i]!;
          break;
        }
      }
      p = seenNow;
      headTs = ts[p - 1]!;
    }
    lastTick = tick;
    ticks++;
    if (hot[t] === 0) {
      // What lineMask gives when no short window burns at its line's factor.
      const next = !Number.isNaN(lastTraffic) && tick - headTs >= missingAfter ? MISSING_DATA_BIT : 0;
      if (((next ^ mask) & LINE_BITS) === 0) continue;
    }
    run.seen = p;
    headsOf(layout, headTs, run.head);
    sums[2 * windows.length] = 0;
    const next = lineMask(plan, source, sums, tick, headTs, lastTraffic);
    if ((next ^ mask) & LINE_BITS) {
      const remaining = budgetRemaining(tick);
      for (const ev of transitions(plan, source, mask, next, sums, tick, headTs, remaining)) events.push(ev);
    }
    mask = next;
  }
  const firing = new Set(plan.lines.filter((_, i) => mask & (1 << i)).map((l) => l.name));
  if (mask & MISSING_DATA_BIT) firing.add(MISSING_DATA_LINE);
  run.seen = p;
  headsOf(layout, headTs, run.head);
  const final = evaluate(
    slo,
    { sum: (fromMs) => sumAt(fromMs), headTs, lastTrafficTs: lastTraffic, badSlices: 0 },
    lastTick,
    firing,
    plan,
  );
  options.onProgress?.({ samples: n, atMs: ts[n - 1]! });
  return { events, ticks, lastTick, firstBad, final };
}

/** The samples as a Float64Array (the kernels then see one array type): others are copied into scratch space. */
function asFloat64(values: ArrayLike<number>, name: string): Float64Array {
  if (values instanceof Float64Array) return values;
  const copy = scratch.f64(name, values.length);
  copy.set(values);
  return copy;
}

function layoutOf(tiers: readonly TierSpec[], first: number): Layout {
  const res = Float64Array.from(tiers, (t) => t.resolutionMs);
  return {
    tiers: tiers.length,
    res,
    slots: Float64Array.from(tiers, (t) => t.slots),
    floorBucket: Float64Array.from(res, (r) => Math.ceil(first / r) - 1),
    first,
  };
}

/**
 * One pass over the samples: the prefix sums of good and total events (`pg[k]`: the good events of
 * samples 0..k-1, in the store's order of addition) and, per tick, the number of samples at or
 * before it. Returns the time of the first sample with bad events (NaN when none).
 */
function scanSamples(
  samples: { readonly ts: Float64Array; readonly good: Float64Array; readonly total: Float64Array },
  ticks: Ticks,
  out: { readonly pg: Float64Array; readonly pt: Float64Array; readonly seen: Int32Array },
): number {
  const { ts, good, total } = samples;
  const { pg, pt, seen } = out;
  const n = ts.length;
  let firstBad = Number.NaN;
  let g = 0;
  let sum = 0;
  let t = 0;
  let at = ticks.tick0;
  pg[0] = 0;
  pt[0] = 0;
  for (let i = 0; i < n; i++) {
    const x = ts[i]!;
    while (at < x) {
      seen[t++] = i;
      at += ticks.tickMs;
    }
    const gi = good[i]!;
    const ti = total[i]!;
    if (ti - gi > 0 && Number.isNaN(firstBad)) firstBad = x;
    g += gi;
    sum += ti;
    pg[i + 1] = g;
    pt[i + 1] = sum;
  }
  while (t < ticks.count) seen[t++] = n;
  return firstBad;
}

/** Each tier's head bucket: the bucket of the newest sample. */
function headsOf(layout: Layout, headTs: number, out: Float64Array): void {
  for (let i = 0; i < layout.tiers; i++) out[i] = Math.ceil(headTs / layout.res[i]!);
}

/** The cut x of a window `(fromMs, now]`: its sum is prefix(now) − prefix(x); NaN when empty. */
function cutAt(layout: Layout, head: Float64Array, fromMs: number, headOffset = 0): number {
  const T = layout.tiers;
  for (let i = 0; i < T; i++) {
    const r = layout.res[i]!;
    const h = head[headOffset + i]!;
    let bf = Math.ceil(fromMs / r);
    if (fromMs < layout.first && bf < layout.floorBucket[i]!) bf = layout.floorBucket[i]!;
    if (bf < h - layout.slots[i]!) {
      if (i < T - 1) continue;
      bf = h - layout.slots[i]!;
    }
    if (bf >= h) return Number.NaN;
    return bf * r;
  }
  return Number.NaN;
}

/** The ticks of one run: the first, the step and how many. */
interface Ticks {
  readonly tick0: number;
  readonly tickMs: number;
  readonly count: number;
}

/** A burn-rate threshold: `factor` times the error budget. */
interface Burn {
  readonly errorBudget: number;
  readonly factor: number;
}

/**
 * Marks the ticks where the window of `lengthMs` (cut as in {@link cutAt}) may burn at `burn`:
 * `bad >= factor × budget × total` instead of a division per tick, with a hair of slack so that
 * rounding never leaves out a tick where the exact `burnRate` reaches it.
 */
function markHot(
  ts: Float64Array,
  pg: Float64Array,
  pt: Float64Array,
  seen: Int32Array,
  layout: Layout,
  ticks: Ticks,
  sweep: { readonly lengthMs: number; readonly burn: Burn; readonly cursor: { k: number } },
  from: number,
  to: number,
  hot: Uint8Array,
): void {
  const T = layout.tiers;
  const { res, slots, floorBucket, first } = layout;
  const { lengthMs, burn, cursor } = sweep;
  const scale = burn.factor * burn.errorBudget * (1 - 1e-9);
  const tickMs = ticks.tickMs;
  // A tier spans (slots + 1) × resolution at most: a window longer than that plus the time since
  // the newest sample cannot start in it (unless cut at the first sample), so its test is skipped.
  const reach = Float64Array.from(res, (r, i) => (slots[i]! + 1) * r);
  let k = cursor.k;
  let at = ticks.tick0 + from * tickMs;
  for (let t = from; t < to; t++, at += tickMs) {
    const seenNow = seen[t]!;
    if (seenNow === 0) continue;
    const fromMs = at - lengthMs;
    const newest = ts[seenNow - 1]!;
    let i0 = 0;
    if (fromMs >= first) while (i0 < T - 1 && lengthMs - (at - newest) > reach[i0]!) i0++;
    let x = Number.NaN;
    for (let i = i0; i < T; i++) {
      const r = res[i]!;
      const h = Math.ceil(newest / r);
      let bf = Math.ceil(fromMs / r);
      if (fromMs < first && bf < floorBucket[i]!) bf = floorBucket[i]!;
      if (bf < h - slots[i]!) {
        if (i < T - 1) continue;
        bf = h - slots[i]!;
      }
      if (bf < h) x = bf * r;
      break;
    }
    if (Number.isNaN(x)) continue;
    while (k < seenNow && ts[k]! <= x) k++;
    while (k > 0 && ts[k - 1]! > x) k--;
    const total = pt[seenNow]! - pt[k]!;
    if (total > 0 && total - (pg[seenNow]! - pg[k]!) >= scale * total) hot[t] = 1;
  }
  cursor.k = k;
}
