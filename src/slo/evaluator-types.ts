import type { Severity } from "./model.js";

/** Name of the ticket-level line raised when an SLO stops receiving samples. */
export const MISSING_DATA_LINE = "missing-data";

/**
 * An alert transition, shaped to become a signal: the SLO, the policy line (its `tier`), the new
 * state and the numbers behind it.
 */
export interface AlertEvent {
  readonly sloId: string;
  readonly service: string;
  readonly line: string;
  readonly severity: Severity;
  readonly state: "firing" | "resolved";
  /** Unix ms of the tick that saw the transition. */
  readonly at: number;
  readonly burnRates: { readonly long: number; readonly short: number };
  /** Share of the error budget left over the SLO window (1 = intact, below 0 = overspent). */
  readonly budgetRemaining: number;
  readonly reason: string;
}

/** SLI and burn rate over one alert window ending now. */
export interface WindowStatus {
  readonly windowMs: number;
  readonly good: number;
  readonly total: number;
  /** good / total, or null when the window saw no events ("no data"). */
  readonly sli: number | null;
  /** Error ratio / (1 − objective); 0 when there were no events. */
  readonly burnRate: number;
}

export type LineState = "ok" | "firing" | "held" | "disabled";

export interface LineStatus {
  readonly name: string;
  readonly severity: Severity;
  readonly state: LineState;
  readonly burnRate: number;
  readonly longBurnRate: number;
  readonly shortBurnRate: number;
  readonly longEvents: number;
  /** Why the line is held (low traffic) or disabled; null otherwise. */
  readonly reason: string | null;
}

/** Error budget over the SLO window, in events (occurrences) or slices (timeslices). */
export interface BudgetStatus {
  readonly method: "occurrences" | "timeslices";
  /** Bad events (or bad slices) the objective allows over the window. */
  readonly allowed: number;
  readonly spent: number;
  readonly remaining: number;
  /** remaining / allowed; 1 when nothing is allowed yet and nothing was spent. */
  readonly remainingShare: number;
}

/** How long the remaining budget lasts if the SLO keeps burning as it did over a lookback. */
export interface BudgetForecast {
  readonly lookbackMs: number;
  readonly burnRate: number;
  /** Milliseconds until the budget is spent; null when nothing burns. */
  readonly exhaustedInMs: number | null;
}

export interface SloStatus {
  readonly sloId: string;
  readonly service: string;
  readonly at: number;
  /** The SLO window `(fromMs, toMs]` as evaluated, and its full length (a calendar period's length). */
  readonly window: { readonly fromMs: number; readonly toMs: number; readonly lengthMs: number };
  readonly good: number;
  readonly total: number;
  readonly sli: number | null;
  readonly budget: BudgetStatus;
  readonly forecasts: readonly BudgetForecast[];
  readonly windows: readonly WindowStatus[];
  readonly lines: readonly LineStatus[];
  readonly missingData: boolean;
  /** Transitions against the previous firing set given to `evaluate`. */
  readonly events: readonly AlertEvent[];
}
