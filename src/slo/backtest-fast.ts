import { DEFAULT_TIERS, type TierSpec } from "../tsdb/tier.js";
import type { WindowSum } from "../tsdb/window-sum.js";
import { type CalendarPeriod, calendarPeriod } from "./calendar.js";
import { budgetStatus, evaluate, transitions } from "./evaluator-core.js";
import {
  compilePlan,
  type EvaluationPlan,
  HELD_SHIFT,
  lineMask,
  MISSING_DATA_BIT,
  sumsLength,
  type WindowSource,
} from "./evaluator-plan.js";
import { type AlertEvent, MISSING_DATA_LINE, type SloStatus } from "./evaluator-types.js";
import type { Slo } from "./model.js";

const LINE_BITS = (1 << HELD_SHIFT) - 1;

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
 * Whether {@link fastBacktest} can give exactly what the store-based run gives for this SLO and
 * these tiers: occurrences budgeting (timeslices judge slices through the store), and tiers whose
 * resolutions are multiples of the finest one (then every tier's head bucket is the one of the
 * newest sample, as the store keeps it). The samples are checked as they are scanned.
 */
function fastBacktestFits(slo: Slo, tiers: readonly TierSpec[] = DEFAULT_TIERS): boolean {
  if (slo.budgeting.method !== "occurrences") return false;
  const r0 = tiers[0]!.resolutionMs;
  return tiers.every((t) => t.resolutionMs % r0 === 0 && t.slots > 0);
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

interface Samples {
  readonly ts: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

/** The ticks of one run: the first, the step and how many. */
interface Ticks {
  readonly tick0: number;
  readonly tickMs: number;
  readonly count: number;
}

/**
 * Per tick: the samples at or before it, and the running sums of their good and total events in
 * the store's order of addition. Together with the samples they give the exact prefix sums at any
 * sample (see {@link cutInto}) without keeping two more arrays as long as the samples.
 */
interface TickSums {
  readonly seen: Int32Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

/** The running sums of good and total events of the samples at or before a window's cut. */
interface Cut {
  good: number;
  total: number;
}

/**
 * Where the replay stands after a tick: samples seen, the newest one's time, and the last sample
 * with traffic among the first `trafficSeen`.
 */
interface Replay {
  seen: number;
  headTs: number;
  lastTraffic: number;
  trafficSeen: number;
}

/**
 * The backtest of in-order per-interval samples without the store: every window sum the store
 * would answer at a tick is a difference of running sums over the samples, cut at the same bucket
 * boundary of the same tier the store picks (see `SeriesBuffer.sumInto`), so every alert decision,
 * transition and the final status equal those of the {@link Evaluator} fed through a store.
 * Returns null when it cannot: the SLO or tiers do not fit (see {@link fastBacktestFits}), or the
 * samples are not per-interval counts with strictly ascending finite timestamps.
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
): FastBacktestOutcome | null {
  const run = prepare(slo, tsIn, goodIn, totalIn, options);
  if (!run) return null;
  const { samples, ticks, sums, layout, firstBad } = run;
  const { ts } = samples;
  const { tick0, tickMs, count: K } = ticks;
  const n = ts.length;
  const plan = compilePlan(slo);
  const windows = plan.windowsMs;
  const scratchSums = new Float64Array(sumsLength(plan));
  // The tick being evaluated and each tier's head bucket at it.
  let now = 0;
  const head = new Float64Array(layout.tiers);
  const cut: Cut = { good: 0, total: 0 };

  /** Cuts the window starting at `fromMs` into `cut`; false when the window is empty. */
  const cutWindow = (fromMs: number): boolean => {
    const x = cutAt(layout, head, fromMs);
    if (Number.isNaN(x)) return false;
    cutInto(samples, ticks, sums, x, now, cut);
    return true;
  };

  const sumAt = (fromMs: number): WindowSum =>
    cutWindow(fromMs)
      ? { good: sums.good[now]! - cut.good, total: sums.total[now]! - cut.total }
      : { good: 0, total: 0 };

  const source: WindowSource = {
    sumInto(fromMs: number, _toMs: number, out: Float64Array, offset: number): void {
      const some = cutWindow(fromMs);
      out[offset] = some ? sums.good[now]! - cut.good : 0;
      out[offset + 1] = some ? sums.total[now]! - cut.total : 0;
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

  const hot = markHotTicks(run, plan, cut);

  const events: AlertEvent[] = [];
  const every = options.onProgress ? (options.progressEvery ?? 100_000) : 0;
  let nextProgress = every > 0 ? every : Number.POSITIVE_INFINITY;
  const replay: Replay = { seen: 0, headTs: Number.NaN, lastTraffic: Number.NaN, trafficSeen: 0 };
  let mask = 0;
  for (let t = 0; t < K; ) {
    options.signal?.throwIfAborted();
    const stop = Math.min(K, t + 1024);
    t = quietUntil(samples, ticks, sums, hot, replay, plan.missingDataAfterMs, mask & LINE_BITS, t, stop);
    while (nextProgress <= replay.seen) {
      options.onProgress?.({ samples: nextProgress, atMs: ts[nextProgress - 1]! });
      nextProgress += every;
    }
    if (t === stop) continue;
    const at = tick0 + t * tickMs;
    now = t;
    headsOf(layout, replay.headTs, head);
    scratchSums[2 * windows.length] = 0;
    const next = lineMask(plan, source, scratchSums, at, replay.headTs, lastTraffic(samples, replay));
    if ((next ^ mask) & LINE_BITS) {
      const remaining = budgetRemaining(at);
      for (const ev of transitions(plan, source, mask, next, scratchSums, at, replay.headTs, remaining))
        events.push(ev);
    }
    mask = next;
    t++;
  }
  const lastTick = tick0 + (K - 1) * tickMs;
  const firing = new Set(plan.lines.filter((_, i) => mask & (1 << i)).map((l) => l.name));
  if (mask & MISSING_DATA_BIT) firing.add(MISSING_DATA_LINE);
  now = K - 1;
  headsOf(layout, replay.headTs, head);
  const final = evaluate(
    slo,
    { sum: sumAt, headTs: replay.headTs, lastTrafficTs: lastTraffic(samples, replay), badSlices: 0 },
    lastTick,
    firing,
    plan,
  );
  options.onProgress?.({ samples: n, atMs: ts[n - 1]! });
  return { events, ticks: K, lastTick, firstBad, final };
}

/** A run's samples with their per-tick sums, once checked and scanned. */
interface Prepared {
  readonly samples: Samples;
  readonly ticks: Ticks;
  readonly sums: TickSums;
  readonly layout: Layout;
  readonly firstBad: number;
}

/** Checks that the run fits, lays out its ticks and scans its samples; null when it does not fit. */
function prepare(
  slo: Slo,
  tsIn: ArrayLike<number>,
  goodIn: ArrayLike<number>,
  totalIn: ArrayLike<number>,
  options: Pick<FastBacktestOptions, "tickMs" | "tiers">,
): Prepared | null {
  const tiers = options.tiers ?? DEFAULT_TIERS;
  const n = tsIn.length;
  if (n === 0 || !fastBacktestFits(slo, tiers)) return null;
  const first = tsIn[0]!;
  const last = tsIn[n - 1]!;
  if (!(Number.isFinite(first) && Number.isFinite(last) && last >= first)) return null;
  const samples: Samples = {
    ts: asFloat64(tsIn, "ts"),
    good: asFloat64(goodIn, "good"),
    total: asFloat64(totalIn, "total"),
  };
  const tickMs = options.tickMs;
  const tick0 = Math.ceil(first / tickMs) * tickMs;
  const count = Math.round((Math.ceil(last / tickMs) * tickMs - tick0) / tickMs) + 1;
  const ticks: Ticks = { tick0, tickMs, count };
  const sums: TickSums = {
    seen: scratch.i32("seen", count),
    good: scratch.f64("tickGood", count),
    total: scratch.f64("tickTotal", count),
  };
  const firstBad = scanSamples(samples, ticks, sums);
  if (firstBad === undefined) return null;
  return { samples, ticks, sums, layout: layoutOf(tiers, first), firstBad };
}

/**
 * The ticks where some line's short window burns at its factor (1, else 0): only there can a line
 * fire or be held, so only those are evaluated in full. Each window is swept at the smallest
 * factor of the lines that share it.
 */
function markHotTicks(run: Prepared, plan: EvaluationPlan, cut: Cut): Uint8Array {
  const hot = scratch.u8("hot", run.ticks.count);
  hot.fill(0);
  const sweeps = [...new Set(plan.shortIndex)].map((j) => ({
    lengthMs: plan.windowsMs[j]!,
    burn: {
      errorBudget: plan.errorBudget,
      factor: Math.min(...plan.burnRates.filter((_, i) => plan.shortIndex[i] === j)),
    },
  }));
  markHot(run.samples, run.ticks, run.sums, run.layout, sweeps, hot, cut);
  return hot;
}

/**
 * The hot ticks of a run (see {@link markHotTicks}) with the first tick and the step, or null when
 * {@link fastBacktest} would not take the samples. What the replay skips rests on this, so it is
 * exported to be checked against the store tick by tick.
 */
export function hotTicks(
  slo: Slo,
  ts: ArrayLike<number>,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
  options: Pick<FastBacktestOptions, "tickMs" | "tiers">,
): { readonly tick0: number; readonly tickMs: number; readonly hot: Uint8Array } | null {
  const run = prepare(slo, ts, good, total, options);
  if (!run) return null;
  const hot = markHotTicks(run, compilePlan(slo), { good: 0, total: 0 });
  return { tick0: run.ticks.tick0, tickMs: run.ticks.tickMs, hot: hot.slice() };
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
 * One pass over the samples that checks them and fills the per-tick sums. Returns the time of the
 * first sample with bad events (NaN when none), or undefined when a timestamp is not finite or not
 * after the one before, or a count is invalid: those runs go through the store.
 */
function scanSamples(samples: Samples, ticks: Ticks, out: TickSums): number | undefined {
  const { ts, good, total } = samples;
  const { seen, good: tickGood, total: tickTotal } = out;
  const n = ts.length;
  let firstBad = Number.NaN;
  let g = 0;
  let sum = 0;
  let t = 0;
  let at = ticks.tick0;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = ts[i]!;
    const gi = good[i]!;
    const ti = total[i]!;
    if (!(x > prev && x <= Number.MAX_VALUE && gi >= 0 && ti >= gi && ti <= Number.MAX_VALUE))
      return undefined;
    prev = x;
    while (at < x) {
      seen[t] = i;
      tickGood[t] = g;
      tickTotal[t++] = sum;
      at = ticks.tick0 + t * ticks.tickMs;
    }
    if (ti - gi > 0 && Number.isNaN(firstBad)) firstBad = x;
    g += gi;
    sum += ti;
  }
  for (; t < ticks.count; t++) {
    seen[t] = n;
    tickGood[t] = g;
    tickTotal[t] = sum;
  }
  return firstBad;
}

/**
 * The running sums of good and total events of the samples at or before `x`, among those seen at
 * tick `now`: the sums of the tick before `x`, then the samples after it added one by one in the
 * scan's order, so they equal the scan's own running sums bit for bit.
 */
function cutInto(samples: Samples, ticks: Ticks, sums: TickSums, x: number, now: number, out: Cut): void {
  const j = Math.floor((x - ticks.tick0) / ticks.tickMs);
  if (j >= now) {
    out.good = sums.good[now]!;
    out.total = sums.total[now]!;
    return;
  }
  let k = 0;
  let g = 0;
  let sum = 0;
  if (j >= 0) {
    k = sums.seen[j]!;
    g = sums.good[j]!;
    sum = sums.total[j]!;
  }
  // The tick after `x` is later than x, so its samples bound the search.
  const end = sums.seen[Math.max(j + 1, 0)]!;
  const { ts, good, total } = samples;
  while (k < end && ts[k]! <= x) {
    g += good[k]!;
    sum += total[k]!;
    k++;
  }
  out.good = g;
  out.total = sum;
}

/** Each tier's head bucket: the bucket of the newest sample. */
function headsOf(layout: Layout, headTs: number, out: Float64Array): void {
  for (let i = 0; i < layout.tiers; i++) out[i] = Math.ceil(headTs / layout.res[i]!);
}

/** The cut x of a window `(fromMs, now]`: its sum is prefix(now) − prefix(x); NaN when empty. */
function cutAt(layout: Layout, head: Float64Array, fromMs: number): number {
  const T = layout.tiers;
  for (let i = 0; i < T; i++) {
    const r = layout.res[i]!;
    const h = head[i]!;
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

/**
 * Runs the ticks from `from` up to `to` that need no full evaluation: no short window burns there
 * (not hot) and the missing-data state is the one the firing lines already show (`lineBits`, the
 * mask of the last full evaluation). Returns the first tick that needs one, or `to`, with the
 * samples seen and the newest one's time at the last tick run in `replay`. Whether any traffic came
 * yet is whether the running total is positive (counts are never negative).
 */
function quietUntil(
  samples: Samples,
  ticks: Ticks,
  sums: TickSums,
  hot: Uint8Array,
  replay: Replay,
  missingAfter: number,
  lineBits: number,
  from: number,
  to: number,
): number {
  const { ts } = samples;
  const { seen, total } = sums;
  let p = replay.seen;
  let headTs = replay.headTs;
  let t = from;
  for (; t < to; t++) {
    const seenNow = seen[t]!;
    if (p < seenNow) {
      p = seenNow;
      headTs = ts[p - 1]!;
    }
    if (hot[t] !== 0) break;
    // What lineMask gives when no short window burns at its line's factor.
    const at = ticks.tick0 + t * ticks.tickMs;
    const missing = total[t]! > 0 && at - headTs >= missingAfter ? MISSING_DATA_BIT : 0;
    if (missing !== lineBits) break;
  }
  replay.seen = p;
  replay.headTs = headTs;
  return t;
}

/** The time of the last sample with traffic among the first `replay.seen`, looking back only as far as the last call. */
function lastTraffic(samples: Samples, replay: Replay): number {
  for (let i = replay.seen - 1; i >= replay.trafficSeen; i--) {
    if (samples.total[i]! > 0) {
      replay.lastTraffic = samples.ts[i]!;
      break;
    }
  }
  replay.trafficSeen = replay.seen;
  return replay.lastTraffic;
}

/** A burn-rate threshold: `factor` times the error budget. */
interface Burn {
  readonly errorBudget: number;
  readonly factor: number;
}

/**
 * How far past its start a window of `lengthMs` may be cut: the resolution of the coarsest tier
 * that {@link cutAt} can pick for it. Tiers are tried finest first, and a tier whose slots span the
 * window (with one to spare for the partial head bucket) is always usable, however old the newest
 * sample: so the cut is `ceil(from / r) × r < from + r` for a tier up to that one. Infinite when no
 * tier spans the window (the last tier then clamps the cut to its oldest slot).
 */
function cutReach(layout: Layout, lengthMs: number): number {
  let reach = 0;
  for (let i = 0; i < layout.tiers; i++) {
    const r = layout.res[i]!;
    reach = Math.max(reach, r);
    if (lengthMs <= (layout.slots[i]! - 1) * r) return reach;
  }
  return Number.POSITIVE_INFINITY;
}

/** A short window and the burn rate at which it makes a tick hot. */
interface Sweep {
  readonly lengthMs: number;
  readonly burn: Burn;
}

/**
 * Marks the ticks where some short window (cut as in {@link cutAt}) may burn at its rate:
 * `bad >= factor × budget × total` instead of a division per tick, with a hair of slack so that
 * rounding never leaves out a tick where the exact `burnRate` reaches it.
 *
 * Most ticks are ruled out from the per-tick sums alone: the window at tick t starts at or after
 * `at − lengthMs` and is cut before `at − lengthMs + reach` (see {@link cutReach}), so it holds at
 * most the bad events of the last `a` ticks and at least the events of the last `b` ticks. Only
 * where those bounds allow a burn is the window cut exactly ({@link burnsAt}).
 */
function markHot(
  samples: Samples,
  ticks: Ticks,
  sums: TickSums,
  layout: Layout,
  sweeps: readonly Sweep[],
  hot: Uint8Array,
  cut: Cut,
): void {
  const N = sums.total;
  const tickMs = ticks.tickMs;
  const bounds: HotBounds = {
    lengths: Float64Array.from(sweeps, (w) => w.lengthMs),
    scales: Float64Array.from(sweeps, (w) => w.burn.factor * w.burn.errorBudget * (1 - 1e-9)),
    a: Int32Array.from(sweeps, (w) => Math.ceil(w.lengthMs / tickMs)),
    b: Int32Array.from(sweeps, (w) =>
      Math.max(0, Math.floor((w.lengthMs - cutReach(layout, w.lengthMs)) / tickMs)),
    ),
    // The bounds differ from the exact window's sums by rounding alone (none for whole counts).
    slacks: Float64Array.from(
      sweeps,
      (w) => 1e-12 * (1 + w.burn.factor * w.burn.errorBudget) * (N[ticks.count - 1]! + 1),
    ),
  };
  const lag = Math.min(ticks.count, Math.max(...bounds.a, ...bounds.b));
  const mark = (t: number, from: number, to: number): void => {
    if (hot[t] !== 0) return;
    for (let w = from; w < to; w++) {
      if (
        mayBurn(sums, bounds, w, t) &&
        burnsAt(samples, ticks, sums, layout, bounds.lengths[w]!, bounds.scales[w]!, t, cut)
      ) {
        hot[t] = 1;
        return;
      }
    }
  };
  for (let t = 0; t < lag; t++) mark(t, 0, sweeps.length);
  for (let w = 0; w < sweeps.length; w += 4) markHotFour(sums, bounds, w, lag, ticks.count, mark);
}

/** Per short window: its length, scale, the ticks it looks back to at most (`a`) and at least (`b`), and the rounding slack. */
interface HotBounds {
  readonly lengths: Float64Array;
  readonly scales: Float64Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly slacks: Float64Array;
}

/** Whether the bounds of window `w` at tick t allow a burn (see {@link markHot}); for any tick. */
function mayBurn(sums: TickSums, bounds: HotBounds, w: number, t: number): boolean {
  const { good: G, total: N } = sums;
  const ta = t - bounds.a[w]!;
  const tb = t - bounds.b[w]!;
  const most = N[t]! - G[t]! - (ta >= 0 ? N[ta]! - G[ta]! : 0);
  const least = bounds.b[w] === 0 ? 0 : N[t]! - (tb >= 0 ? N[tb]! : 0);
  return most > 0 && most + bounds.slacks[w]! >= bounds.scales[w]! * least;
}

/**
 * {@link mayBurn} for windows w..w+3 (the last one repeated when fewer are left) over the ticks
 * from `from` on, which look back to no tick before the first: one pass and one branch per tick,
 * since whether a window holds bad events at all is a coin toss from tick to tick. Ticks that pass
 * go to `mark` for the exact test.
 */
function markHotFour(
  sums: TickSums,
  bounds: HotBounds,
  w: number,
  from: number,
  to: number,
  mark: (t: number, from: number, to: number) => void,
): void {
  const { good: G, total: N } = sums;
  const { a, b, scales: s, slacks: e } = bounds;
  const last = a.length - 1;
  const w1 = Math.min(w + 1, last);
  const w2 = Math.min(w + 2, last);
  const w3 = Math.min(w + 3, last);
  const [a0, a1, a2, a3] = [a[w]!, a[w1]!, a[w2]!, a[w3]!];
  const [b0, b1, b2, b3] = [b[w]!, b[w1]!, b[w2]!, b[w3]!];
  const [s0, s1, s2, s3] = [s[w]!, s[w1]!, s[w2]!, s[w3]!];
  const [e0, e1, e2, e3] = [e[w]!, e[w1]!, e[w2]!, e[w3]!];
  for (let t = from; t < to; t++) {
    const n = N[t]!;
    const bad = n - G[t]!;
    const m0 = bad - (N[t - a0]! - G[t - a0]!);
    const m1 = bad - (N[t - a1]! - G[t - a1]!);
    const m2 = bad - (N[t - a2]! - G[t - a2]!);
    const m3 = bad - (N[t - a3]! - G[t - a3]!);
    // b = 0 reads the tick itself: no least total.
    const d = Math.max(
      Math.min(m0, m0 + e0 - s0 * (n - N[t - b0]!)),
      Math.min(m1, m1 + e1 - s1 * (n - N[t - b1]!)),
      Math.min(m2, m2 + e2 - s2 * (n - N[t - b2]!)),
      Math.min(m3, m3 + e3 - s3 * (n - N[t - b3]!)),
    );
    if (d > 0) mark(t, w, w3 + 1);
  }
}

/** Whether the window of `lengthMs` at tick t, cut exactly, holds `bad >= scale × total > 0`. */
function burnsAt(
  samples: Samples,
  ticks: Ticks,
  sums: TickSums,
  layout: Layout,
  lengthMs: number,
  scale: number,
  t: number,
  cut: Cut,
): boolean {
  const T = layout.tiers;
  const { res, slots, floorBucket, first } = layout;
  const seenNow = sums.seen[t]!;
  if (seenNow === 0) return false;
  const at = ticks.tick0 + t * ticks.tickMs;
  const fromMs = at - lengthMs;
  const newest = samples.ts[seenNow - 1]!;
  // A tier spans (slots + 1) × resolution at most: a window longer than that plus the time since
  // the newest sample cannot start in it (unless cut at the first sample), so it is not tried.
  let i0 = 0;
  if (fromMs >= first) while (i0 < T - 1 && lengthMs - (at - newest) > (slots[i0]! + 1) * res[i0]!) i0++;
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
  if (Number.isNaN(x)) return false;
  cutInto(samples, ticks, sums, x, t, cut);
  const total = sums.total[t]! - cut.total;
  return total > 0 && total - (sums.good[t]! - cut.good) >= scale * total;
}
