import type { WindowSum } from "../tsdb/window-sum.js";
import { calendarPeriod } from "./calendar.js";
import {
  burnRate,
  compilePlan,
  type EvaluationPlan,
  ensureWindow,
  fillSums,
  HELD_SHIFT,
  lineMask,
  MISSING_DATA_BIT,
  sumsLength,
  type WindowSource,
} from "./evaluator-plan.js";
import {
  type AlertEvent,
  type BudgetForecast,
  type BudgetStatus,
  type LineStatus,
  MISSING_DATA_LINE,
  type SloStatus,
  type WindowStatus,
} from "./evaluator-types.js";
import type { Slo } from "./model.js";

/** What the evaluator reads about one SLO's SLI: window sums and sample recency. */
export interface SliView {
  /** Good and total events in `(fromMs, toMs]`. */
  sum(fromMs: number, toMs: number): WindowSum;
  /** Timestamp of the newest sample; NaN before the first. */
  readonly headTs: number;
  /** Timestamp of the newest sample with events; NaN when none had any. */
  readonly lastTrafficTs: number;
  /** Bad slices in the SLO window so far (timeslices budgeting only). */
  readonly badSlices?: number;
}

/** The SLO window `(fromMs, toMs]` at `nowMs` and its full length. */
export interface SloWindowBounds {
  readonly fromMs: number;
  readonly toMs: number;
  readonly lengthMs: number;
}

/** Lookbacks of the budget forecasts: the current 1 h, 1 d and 7 d burn. */
export const FORECAST_LOOKBACKS_MS: readonly number[] = [3_600_000, 86_400_000, 604_800_000];

export function sloWindowBounds(slo: Slo, nowMs: number): SloWindowBounds {
  if (slo.window.kind === "rolling") {
    return { fromMs: nowMs - slo.window.lengthMs, toMs: nowMs, lengthMs: slo.window.lengthMs };
  }
  const period = calendarPeriod(slo.window, nowMs);
  return { fromMs: period.startMs, toMs: nowMs, lengthMs: period.endMs - period.startMs };
}

/** Error budget over the SLO window (SRE Workbook, "Implementing SLOs": budget = 1 − objective). */
export function budgetStatus(
  slo: Slo,
  good: number,
  total: number,
  lengthMs: number,
  badSlices: number,
): BudgetStatus {
  const eb = 1 - slo.objective;
  if (slo.budgeting.method === "timeslices") {
    const allowed = eb * Math.floor(lengthMs / slo.budgeting.sliceMs);
    const remaining = allowed - badSlices;
    return {
      method: "timeslices",
      allowed,
      spent: badSlices,
      remaining,
      remainingShare: allowed > 0 ? remaining / allowed : 1,
    };
  }
  const allowed = eb * total;
  const spent = total - good;
  const remaining = allowed - spent;
  return {
    method: "occurrences",
    allowed,
    spent,
    remaining,
    remainingShare: total > 0 ? remaining / allowed : 1,
  };
}

/** Time until the remaining budget share is spent at `burn` (burn 1 spends the whole budget in one window length). */
export function exhaustionMs(remainingShare: number, burn: number, lengthMs: number): number | null {
  if (remainingShare <= 0) return 0;
  return burn > 0 ? (remainingShare * lengthMs) / burn : null;
}

/**
 * The pure evaluation of one SLO at `nowMs`: SLI and burn rate per alert window, budget over the
 * SLO window, forecasts, the state of each policy line, and the transitions against
 * `previousFiring` (names of lines firing after the previous tick).
 */
export function evaluate(
  slo: Slo,
  view: SliView,
  nowMs: number,
  previousFiring: ReadonlySet<string> = new Set(),
  plan: EvaluationPlan = compilePlan(slo),
): SloStatus {
  const eb = plan.errorBudget;
  const sums = new Float64Array(sumsLength(plan));
  const windows: WindowStatus[] = [];
  plan.windowsMs.forEach((w, j) => {
    const s = view.sum(nowMs - w, nowMs);
    sums[2 * j] = s.good;
    sums[2 * j + 1] = s.total;
    windows.push({
      windowMs: w,
      good: s.good,
      total: s.total,
      sli: s.total > 0 ? s.good / s.total : null,
      burnRate: burnRate(s.good, s.total, eb),
    });
  });
  fillSums(plan, sums);
  const bounds = sloWindowBounds(slo, nowMs);
  const whole = view.sum(bounds.fromMs, bounds.toMs);
  const budget = budgetStatus(slo, whole.good, whole.total, bounds.lengthMs, view.badSlices ?? 0);
  const forecasts: BudgetForecast[] = FORECAST_LOOKBACKS_MS.map((lookbackMs) => {
    const s = view.sum(nowMs - lookbackMs, nowMs);
    const burn = burnRate(s.good, s.total, eb);
    return {
      lookbackMs,
      burnRate: burn,
      exhaustedInMs: exhaustionMs(budget.remainingShare, burn, bounds.lengthMs),
    };
  });
  const source: WindowSource = {
    sumInto: (from, to, out, offset) => {
      const s = view.sum(from, to);
      out[offset] = s.good;
      out[offset + 1] = s.total;
    },
  };
  const mask = lineMask(plan, source, sums, nowMs, view.headTs, view.lastTrafficTs);
  const enabled = slo.alerting.lines.filter((l) => l.enabled);
  const lines: LineStatus[] = slo.alerting.lines.map((line) => {
    const i = enabled.indexOf(line);
    if (i < 0) {
      return {
        name: line.name,
        severity: line.severity,
        state: "disabled",
        burnRate: line.burnRate,
        longBurnRate: 0,
        shortBurnRate: 0,
        longEvents: 0,
        reason: "disabled in the policy",
      };
    }
    const l = 2 * plan.longIndex[i]!;
    const s = 2 * plan.shortIndex[i]!;
    const held = (mask & (1 << (i + HELD_SHIFT))) !== 0;
    return {
      name: line.name,
      severity: line.severity,
      state: mask & (1 << i) ? "firing" : held ? "held" : "ok",
      burnRate: line.burnRate,
      longBurnRate: burnRate(sums[l]!, sums[l + 1]!, eb),
      shortBurnRate: burnRate(sums[s]!, sums[s + 1]!, eb),
      longEvents: sums[l + 1]!,
      reason: held ? heldReason(sums[l + 1]!, line.minEvents, line.longWindowMs) : null,
    };
  });
  return {
    sloId: slo.id,
    service: slo.service,
    at: nowMs,
    window: bounds,
    good: whole.good,
    total: whole.total,
    sli: whole.total > 0 ? whole.good / whole.total : null,
    budget,
    forecasts,
    windows,
    lines,
    missingData: (mask & MISSING_DATA_BIT) !== 0,
    events: transitions(
      plan,
      source,
      firingMask(plan, previousFiring),
      mask,
      sums,
      nowMs,
      view.headTs,
      budget.remainingShare,
    ),
  };
}

/** The firing bits of a set of line names. */
export function firingMask(plan: EvaluationPlan, firing: ReadonlySet<string>): number {
  let mask = firing.has(MISSING_DATA_LINE) ? MISSING_DATA_BIT : 0;
  plan.lines.forEach((line, i) => {
    if (firing.has(line.name)) mask |= 1 << i;
  });
  return mask;
}

/** Alert events for the firing bits that changed between two line masks. */
export function transitions(
  plan: EvaluationPlan,
  source: WindowSource,
  previous: number,
  mask: number,
  sums: Float64Array,
  nowMs: number,
  headTs: number,
  budgetRemaining: number,
): AlertEvent[] {
  const events: AlertEvent[] = [];
  const changed = (previous ^ mask) & ((1 << HELD_SHIFT) - 1);
  if (changed === 0) return events;
  const { slo, errorBudget: eb } = plan;
  plan.lines.forEach((line, i) => {
    if (!(changed & (1 << i))) return;
    ensureWindow(plan, source, sums, plan.longIndex[i]!, nowMs);
    ensureWindow(plan, source, sums, plan.shortIndex[i]!, nowMs);
    const l = 2 * plan.longIndex[i]!;
    const s = 2 * plan.shortIndex[i]!;
    const long = burnRate(sums[l]!, sums[l + 1]!, eb);
    const short = burnRate(sums[s]!, sums[s + 1]!, eb);
    const firing = (mask & (1 << i)) !== 0;
    let reason = `burn ${long.toFixed(2)}x over ${formatMs(line.longWindowMs)} and ${short.toFixed(2)}x over ${formatMs(line.shortWindowMs)}`;
    if (firing) reason += ` >= ${line.burnRate}x`;
    else if (mask & (1 << (i + HELD_SHIFT)))
      reason = heldReason(sums[l + 1]!, line.minEvents, line.longWindowMs);
    else reason += `, not both >= ${line.burnRate}x`;
    events.push({
      sloId: slo.id,
      service: slo.service,
      line: line.name,
      severity: line.severity,
      state: firing ? "firing" : "resolved",
      at: nowMs,
      burnRates: { long, short },
      budgetRemaining,
      reason,
    });
  });
  if (changed & MISSING_DATA_BIT) {
    const firing = (mask & MISSING_DATA_BIT) !== 0;
    events.push({
      sloId: slo.id,
      service: slo.service,
      line: MISSING_DATA_LINE,
      severity: "ticket",
      state: firing ? "firing" : "resolved",
      at: nowMs,
      burnRates: { long: 0, short: 0 },
      budgetRemaining,
      reason: firing
        ? `no samples for ${formatMs(nowMs - headTs)} after traffic was seen`
        : "samples arrive again",
    });
  }
  return events;
}

function heldReason(events: number, minEvents: number, windowMs: number): string {
  return `held: ${events} events over ${formatMs(windowMs)} is below minEvents ${minEvents}`;
}

/** Compact duration for reasons: "5m", "1h", "3d", "51.8s". */
export function formatMs(ms: number): string {
  const units: readonly [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 100) / 10}s`;
}
