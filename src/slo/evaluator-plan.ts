import { TooManyLinesError } from "./evaluator-errors.js";
import type { AlertLine, Slo } from "./model.js";

/** Lines beyond this many per SLO do not fit the state bitmask (bit 15 is missing data). */
export const MAX_LINES = 15;
/** Bit of the missing-data alert in a line mask. */
export const MISSING_DATA_BIT = 1 << 15;
/** Held line bits are shifted by this much in a line mask. */
export const HELD_SHIFT = 16;

/**
 * What to read for one SLO on every tick, compiled once: the distinct alert windows (ascending)
 * and, per enabled line, the indexes of its long and short windows, its factor and event guard.
 * SLOs with the same policy share these arrays, so a tick over many SLOs keeps them in cache.
 */
export interface EvaluationPlan {
  readonly slo: Slo;
  readonly errorBudget: number;
  readonly missingDataAfterMs: number;
  readonly windowsMs: Float64Array;
  readonly lines: readonly AlertLine[];
  readonly longIndex: Int32Array;
  readonly shortIndex: Int32Array;
  /** The distinct short windows (every tick reads them all), ascending. */
  readonly shortWindows: Int32Array;
  readonly burnRates: Float64Array;
  readonly minEvents: Float64Array;
}

type PolicyShape = Omit<EvaluationPlan, "slo" | "errorBudget" | "missingDataAfterMs">;

const MAX_WINDOWS = 30;
const SHAPE_CACHE_LIMIT = 10_000;
const shapes = new Map<string, PolicyShape>();

export function compilePlan(slo: Slo): EvaluationPlan {
  return {
    slo,
    errorBudget: 1 - slo.objective,
    missingDataAfterMs: slo.alerting.missingDataAfterMs,
    ...shapeOf(slo),
  };
}

function shapeOf(slo: Slo): PolicyShape {
  const lines = slo.alerting.lines.filter((l) => l.enabled);
  const key = JSON.stringify(
    lines.map((l) => [l.name, l.severity, l.burnRate, l.longWindowMs, l.shortWindowMs, l.minEvents]),
  );
  const cached = shapes.get(key);
  if (cached) return cached;
  const windows = [...new Set(lines.flatMap((l) => [l.longWindowMs, l.shortWindowMs]))].sort((a, b) => a - b);
  if (lines.length > MAX_LINES || windows.length > MAX_WINDOWS) {
    throw new TooManyLinesError(
      `${slo.id} has ${lines.length} enabled alert lines over ${windows.length} windows; at most ${MAX_LINES} and ${MAX_WINDOWS}`,
      { sloId: slo.id },
    );
  }
  const shape: PolicyShape = {
    windowsMs: Float64Array.from(windows),
    lines,
    longIndex: Int32Array.from(lines.map((l) => windows.indexOf(l.longWindowMs))),
    shortIndex: Int32Array.from(lines.map((l) => windows.indexOf(l.shortWindowMs))),
    shortWindows: Int32Array.from(new Set(lines.map((l) => windows.indexOf(l.shortWindowMs)))).sort(),
    burnRates: Float64Array.from(lines.map((l) => l.burnRate)),
    minEvents: Float64Array.from(lines.map((l) => l.minEvents)),
  };
  if (shapes.size >= SHAPE_CACHE_LIMIT) shapes.clear();
  shapes.set(key, shape);
  return shape;
}

/** Burn rate of `(good, total)`: error ratio / (1 − objective); 0 without events (SRE Workbook, "Alerting on SLOs"). */
export function burnRate(good: number, total: number, errorBudget: number): number {
  return total > 0 ? (total - good) / total / errorBudget : 0;
}

/** Where window sums come from: a store series, or any view that can fill (good, total) pairs. */
export interface WindowSource {
  /** Writes good and total over `(fromMs, toMs]` into `out[offset]` and `out[offset + 1]`. */
  sumInto(fromMs: number, toMs: number, out: Float64Array, offset: number): void;
}

/** Length of the scratch array for a plan: (good, total) per window, then a bitmask of the windows read. */
export function sumsLength(plan: EvaluationPlan): number {
  return 2 * plan.windowsMs.length + 1;
}

/** Marks every window of `sums` as not yet read. */
export function clearSums(plan: EvaluationPlan, sums: Float64Array): void {
  sums[2 * plan.windowsMs.length] = 0;
}

/** Marks every window of `sums` as read (the caller filled them all). */
export function fillSums(plan: EvaluationPlan, sums: Float64Array): void {
  sums[2 * plan.windowsMs.length] = (1 << plan.windowsMs.length) - 1;
}

/** Reads window `j` into `sums` unless it was read already this tick. */
export function ensureWindow(
  plan: EvaluationPlan,
  source: WindowSource,
  sums: Float64Array,
  j: number,
  nowMs: number,
): void {
  const at = 2 * plan.windowsMs.length;
  const read = sums[at]!;
  if (read & (1 << j)) return;
  source.sumInto(nowMs - plan.windowsMs[j]!, nowMs, sums, 2 * j);
  sums[at] = read | (1 << j);
}

/**
 * Multi-window, multi-burn-rate decision (SRE Workbook, "Alerting on SLOs", §6): a line fires when
 * both its long and short windows burn at least its factor and the long window saw at least
 * `minEvents` events; when only the event guard blocks it, the line is held. Window sums are read
 * lazily into `sums` (cleared with {@link clearSums} first): the long window only when the short one
 * burns fast enough, so a healthy SLO costs one read per short window. Returns firing bits, held
 * bits shifted by {@link HELD_SHIFT}, and {@link MISSING_DATA_BIT} when samples stopped after
 * traffic was seen.
 */
export function lineMask(
  plan: EvaluationPlan,
  source: WindowSource,
  sums: Float64Array,
  nowMs: number,
  headTs: number,
  lastTrafficTs: number,
): number {
  let mask = 0;
  const eb = plan.errorBudget;
  const factors = plan.burnRates;
  for (let i = 0; i < factors.length; i++) {
    const factor = factors[i]!;
    const sj = plan.shortIndex[i]!;
    ensureWindow(plan, source, sums, sj, nowMs);
    if (burnRate(sums[2 * sj]!, sums[2 * sj + 1]!, eb) < factor) continue;
    const lj = plan.longIndex[i]!;
    ensureWindow(plan, source, sums, lj, nowMs);
    const longTotal = sums[2 * lj + 1]!;
    if (burnRate(sums[2 * lj]!, longTotal, eb) >= factor) {
      mask |= longTotal >= plan.minEvents[i]! ? 1 << i : 1 << (i + HELD_SHIFT);
    }
  }
  if (!Number.isNaN(lastTrafficTs) && nowMs - headTs >= plan.missingDataAfterMs) mask |= MISSING_DATA_BIT;
  return mask;
}
