/**
 * Error-budget arithmetic (SRE book ch. 3 "Embracing Risk"; SRE Workbook ch. 2 "Implementing
 * SLOs" and ch. 5 "Alerting on SLOs"). Pure functions; objectives are fractions (0.999), durations
 * are milliseconds.
 */
import { SloArgumentInvalidError } from "./errors.js";
import type { SloWindow } from "./model.js";

const DAY_MS = 86_400_000;

/** Nominal lengths of calendar windows, used wherever one number is needed (alert scaling, explain). */
export const CALENDAR_NOMINAL_MS = { week: 7 * DAY_MS, month: 30 * DAY_MS, quarter: 90 * DAY_MS } as const;

function assertObjective(objective: number): void {
  if (!(objective > 0 && objective < 1))
    throw new SloArgumentInvalidError(`objective must be strictly between 0 and 1, got ${objective}`);
}

function assertPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value))
    throw new SloArgumentInvalidError(`${name} must be a positive finite number, got ${value}`);
}

function assertNonNegative(name: string, value: number): void {
  if (!(value >= 0) || Number.isNaN(value))
    throw new SloArgumentInvalidError(`${name} must be zero or positive, got ${value}`);
}

/**
 * Length of an SLO window in milliseconds: the rolling length, or the nominal calendar length
 * (week 7d, month 30d, quarter 90d). The evaluator uses real calendar periods; this nominal
 * length is what alert-window scaling and explanations use.
 */
export function nominalWindowMs(window: SloWindow): number {
  return window.kind === "rolling" ? window.lengthMs : CALENDAR_NOMINAL_MS[window.unit];
}

/** The error budget as a fraction of events: 1 − objective (0.001 for 99.9%). */
export function errorBudgetFraction(objective: number): number {
  assertObjective(objective);
  return 1 - objective;
}

/** Bad events the budget allows among `totalEvents` events. */
export function allowedBadEvents(objective: number, totalEvents: number): number {
  assertNonNegative("totalEvents", totalEvents);
  return errorBudgetFraction(objective) * totalEvents;
}

/**
 * Time of full outage (100% errors, steady traffic) the budget allows in one window:
 * 99.9% over 30 days allows 43.2 minutes (SRE Workbook, "Implementing SLOs").
 */
export function fullOutageBudgetMs(objective: number, windowMs: number): number {
  assertPositive("windowMs", windowMs);
  return errorBudgetFraction(objective) * windowMs;
}

/**
 * Burn rate: how fast the budget is being spent relative to spending it exactly over the window.
 * burn rate = error ratio / (1 − objective); 1 spends the budget exactly at the window's end.
 */
export function burnRate(errorRatio: number, objective: number): number {
  assertNonNegative("errorRatio", errorRatio);
  return errorRatio / errorBudgetFraction(objective);
}

/** Share of the budget spent by burning at `rate` for `durationMs`: b · t / window. */
export function budgetConsumed(rate: number, durationMs: number, windowMs: number): number {
  assertNonNegative("rate", rate);
  assertNonNegative("durationMs", durationMs);
  assertPositive("windowMs", windowMs);
  return (rate * durationMs) / windowMs;
}

/** The burn rate that spends `share` of the budget in `durationMs`: share · window / t. */
export function burnRateForBudgetShare(share: number, durationMs: number, windowMs: number): number {
  assertNonNegative("share", share);
  assertPositive("durationMs", durationMs);
  assertPositive("windowMs", windowMs);
  return (share * windowMs) / durationMs;
}

/**
 * Time until the remaining budget share is gone at a steady burn rate: remaining · window / b.
 * Infinity when nothing burns; 0 when nothing remains.
 */
export function timeToExhaustionMs(remainingShare: number, rate: number, windowMs: number): number {
  assertNonNegative("rate", rate);
  assertPositive("windowMs", windowMs);
  if (remainingShare <= 0) return 0;
  if (rate === 0) return Number.POSITIVE_INFINITY;
  return (remainingShare * windowMs) / rate;
}

/** Budget state of one window, counted in events (or in slices for timeslice budgeting). */
export interface BudgetStatus {
  readonly objective: number;
  readonly totalEvents: number;
  readonly badEvents: number;
  /** Observed bad/total (0 without events). */
  readonly errorRatio: number;
  /** errorRatio / (1 − objective). */
  readonly burnRate: number;
  /** Bad events the budget allows: (1 − objective) · total. */
  readonly budgetEvents: number;
  readonly spentEvents: number;
  /** May be negative once the budget is overspent. */
  readonly remainingEvents: number;
  /** spent / budget; 1 means the budget is exactly used up (0 without events). */
  readonly spentShare: number;
  /** 1 − spentShare; negative when overspent. */
  readonly remainingShare: number;
}

/** Budget totals for a window with `badEvents` bad out of `totalEvents`. */
export function budgetStatus(objective: number, badEvents: number, totalEvents: number): BudgetStatus {
  assertNonNegative("badEvents", badEvents);
  assertNonNegative("totalEvents", totalEvents);
  if (badEvents > totalEvents)
    throw new SloArgumentInvalidError(`badEvents (${badEvents}) exceeds totalEvents (${totalEvents})`);
  const budgetEvents = allowedBadEvents(objective, totalEvents);
  const errorRatio = totalEvents === 0 ? 0 : badEvents / totalEvents;
  const spentShare = totalEvents === 0 ? 0 : badEvents / budgetEvents;
  return {
    objective,
    totalEvents,
    badEvents,
    errorRatio,
    burnRate: burnRate(errorRatio, objective),
    budgetEvents,
    spentEvents: badEvents,
    remainingEvents: budgetEvents - badEvents,
    spentShare,
    remainingShare: 1 - spentShare,
  };
}

/** When the budget runs out if the current burn continues. */
export interface BudgetForecast {
  /** Time from `nowMs` until the budget is gone; Infinity when it never runs out at this rate. */
  readonly exhaustsInMs: number;
  /** Absolute time (ms since epoch), or null when it never runs out at this rate. */
  readonly exhaustsAtMs: number | null;
  /** True when the budget is gone before the window ends (or already gone). */
  readonly exhaustsBeforeWindowEnd: boolean;
}

/**
 * Forecasts budget exhaustion assuming the current burn rate holds.
 * `windowRemainingMs` is the time left in the window (calendar windows) or the window length
 * (rolling windows, where old errors age out at the same pace).
 */
export function forecastExhaustion(
  remainingShare: number,
  currentBurnRate: number,
  windowMs: number,
  nowMs: number,
  windowRemainingMs: number = windowMs,
): BudgetForecast {
  const exhaustsInMs = timeToExhaustionMs(remainingShare, currentBurnRate, windowMs);
  return {
    exhaustsInMs,
    exhaustsAtMs: Number.isFinite(exhaustsInMs) ? nowMs + exhaustsInMs : null,
    exhaustsBeforeWindowEnd: exhaustsInMs <= windowRemainingMs,
  };
}
