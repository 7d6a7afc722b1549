import { DEFAULT_TIERS, type TierSpec } from "../tsdb/tier.js";
import type { WindowSum } from "../tsdb/window-sum.js";
import { type CalendarPeriod, calendarPeriod } from "./calendar.js";
import { budgetStatus, evaluate, transitions } from "./evaluator-core.js";
import {
  burnRate,
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

/**
 * The backtest of in-order per-interval samples without the store: every window sum the store
 * would answer at a tick is a difference of prefix sums over the samples, cut at the same bucket
 * boundary of the same tier the store picks (see `SeriesBuffer.sumInto`), so every alert decision,
 * transition and the final status equal those of the {@link Evaluator} fed through a store.
 * Callers check {@link fastBacktestApplies} first.
 */
export function fastBacktest(
  slo: Slo,
  ts: ArrayLike<number>,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
  options: FastBacktestOptions,
): FastBacktestOutcome {
  const tickMs = options.tickMs;
  const tiers = options.tiers ?? DEFAULT_TIERS;
  const T = tiers.length;
  const res = Float64Array.from(tiers, (t) => t.resolutionMs);
  const slots = Float64Array.from(tiers, (t) => t.slots);
  const n = ts.length;
  // Prefix sums in the store's order of addition: pg[k] is the good events of samples 0..k-1.
  const pg = new Float64Array(n + 1);
  const pt = new Float64Array(n + 1);
  let firstBad = Number.NaN;
  {
    let g = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      g += good[i]!;
      t += total[i]!;
      pg[i + 1] = g;
      pt[i + 1] = t;
      if (Number.isNaN(firstBad) && total[i]! - good[i]! > 0) firstBad = ts[i]!;
    }
  }
  const first = ts[0]!;
  // floorCut[i]: the bucket below the first sample's (the store never reads before it).
  const floorBucket = Float64Array.from(res, (r) => Math.ceil(first / r) - 1);
  const head = new Float64Array(T);
  const plan = compilePlan(slo);
  const windows = plan.windowsMs;
  const W = windows.length;
  const sums = new Float64Array(sumsLength(plan));
  // Per window, a cursor into the samples: the count of samples at or before its last cut.
  const cursor = new Int32Array(W);

  let p = 0; // samples at or before the current tick
  let headTs = Number.NaN;
  let lastTraffic = Number.NaN;

  /** The cut x of a window `(fromMs, now]`: its sum is prefix(now) − prefix(x); NaN when empty. */
  const cutOf = (fromMs: number): number => {
    for (let i = 0; i < T; i++) {
      const r = res[i]!;
      const h = head[i]!;
      let bf = Math.ceil(fromMs / r);
      if (fromMs < first && bf < floorBucket[i]!) bf = floorBucket[i]!;
      if (bf < h - slots[i]!) {
        if (i < T - 1) continue;
        bf = h - slots[i]!;
      }
      if (bf >= h) return Number.NaN;
      return bf * r;
    }
    return Number.NaN;
  };

  /** Samples at or before `x`, by binary search. */
  const countAtOrBefore = (x: number): number => {
    let lo = 0;
    let hi = p;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const sumAt = (fromMs: number): WindowSum => {
    const x = cutOf(fromMs);
    if (Number.isNaN(x)) return { good: 0, total: 0 };
    const k = countAtOrBefore(x);
    return { good: pg[p]! - pg[k]!, total: pt[p]! - pt[k]! };
  };

  const source: WindowSource = {
    sumInto(fromMs: number, _toMs: number, out: Float64Array, offset: number): void {
      const x = cutOf(fromMs);
      if (Number.isNaN(x)) {
        out[offset] = 0;
        out[offset + 1] = 0;
        return;
      }
      let k: number;
      if (out === sums) {
        // A window of the plan: walk its cursor (cuts move little from one tick to the next).
        const j = offset >> 1;
        k = cursor[j]!;
        while (k < p && ts[k]! <= x) k++;
        while (k > 0 && ts[k - 1]! > x) k--;
        cursor[j] = k;
      } else k = countAtOrBefore(x);
      out[offset] = pg[p]! - pg[k]!;
      out[offset + 1] = pt[p]! - pt[k]!;
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
  const tick0 = Math.ceil(first / tickMs) * tickMs;
  const end = Math.ceil(ts[n - 1]! / tickMs) * tickMs;
  const K = Math.round((end - tick0) / tickMs) + 1;
  // Samples seen by each tick.
  const seen = new Int32Array(K);
  for (let t = 0, q = 0, at = tick0; t < K; t++, at += tickMs) {
    while (q < n && ts[q]! <= at) q++;
    seen[t] = q;
  }
  // Each tier's head bucket at each tick (the bucket of the newest sample seen).
  const heads = Array.from(res, (r) => {
    const out = new Float64Array(K);
    for (let t = 0; t < K; t++) out[t] = Math.ceil(ts[seen[t]! - 1]! / r);
    return out;
  });
  // Every tick reads every short window: those go column by column, a tight loop per window.
  const shortWindows = plan.shortWindows;
  const columns = Array.from(shortWindows, (j) => shortColumn(windows[j]!));
  let read = 0;
  for (let q = 0; q < shortWindows.length; q++) read |= 1 << shortWindows[q]!;
  // Ticks where some line's short window burns at its factor: only there can a line fire or be held.
  const hot = new Uint8Array(K);
  const eb = plan.errorBudget;
  for (let i = 0; i < plan.burnRates.length; i++) {
    const col = columns[Array.prototype.indexOf.call(shortWindows, plan.shortIndex[i]!)]!;
    const factor = plan.burnRates[i]!;
    for (let t = 0; t < K; t++) if (burnRate(col[2 * t]!, col[2 * t + 1]!, eb) >= factor) hot[t] = 1;
  }

  function shortColumn(w: number): Float64Array {
    const col = new Float64Array(2 * K);
    let k = 0;
    let at = tick0;
    for (let t = 0; t < K; t++, at += tickMs) {
      const seenNow = seen[t]!;
      const fromMs = at - w;
      let x = Number.NaN;
      for (let i = 0; i < T; i++) {
        const r = res[i]!;
        const h = heads[i]![t]!;
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
      col[2 * t] = pg[seenNow]! - pg[k]!;
      col[2 * t + 1] = pt[seenNow]! - pt[k]!;
    }
    return col;
  }

  let mask = 0;
  let ticks = 0;
  let lastTick = Number.NaN;
  for (let t = 0, tick = tick0; t < K; t++, tick += tickMs) {
    if ((ticks & 1023) === 0) options.signal?.throwIfAborted();
    if (p < seen[t]!) {
      do {
        if (total[p]! > 0) lastTraffic = ts[p]!;
        p++;
        if (p === nextProgress) {
          nextProgress += every;
          options.onProgress?.({ samples: p, atMs: ts[p - 1]! });
        }
      } while (p < seen[t]!);
      headTs = ts[p - 1]!;
      for (let i = 0; i < T; i++) head[i] = Math.ceil(headTs / res[i]!);
    }
    let next: number;
    if (hot[t] === 0) {
      // What lineMask gives when no short window burns at its line's factor.
      next = !Number.isNaN(lastTraffic) && tick - headTs >= plan.missingDataAfterMs ? MISSING_DATA_BIT : 0;
      if (((next ^ mask) & LINE_BITS) === 0) {
        lastTick = tick;
        ticks++;
        continue;
      }
    }
    for (let q = 0; q < shortWindows.length; q++) {
      const j = 2 * shortWindows[q]!;
      const col = columns[q]!;
      sums[j] = col[2 * t]!;
      sums[j + 1] = col[2 * t + 1]!;
    }
    sums[2 * W] = read;
    next = lineMask(plan, source, sums, tick, headTs, lastTraffic);
    if ((next ^ mask) & LINE_BITS) {
      const remaining = budgetRemaining(tick);
      for (const ev of transitions(plan, source, mask, next, sums, tick, headTs, remaining)) events.push(ev);
    }
    mask = next;
    lastTick = tick;
    ticks++;
  }
  const firing = new Set(plan.lines.filter((_, i) => mask & (1 << i)).map((l) => l.name));
  if (mask & MISSING_DATA_BIT) firing.add(MISSING_DATA_LINE);
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
