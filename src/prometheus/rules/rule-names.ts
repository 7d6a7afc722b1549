import { formatPromDuration } from "../prom-duration.js";

/**
 * Names of the series nines records, following Prometheus' `level:metric:operations` scheme.
 * Every series carries `nines_slo` (the SLO id), `nines_service` and the SLO's own labels.
 */
export const ruleNames = {
  /** Bad events in the base window (the spec's queries with `{{window}}` = base), e.g. `…:increase5m`. */
  badEvents: (baseMs: number) => `nines:slo_events_bad:increase${formatPromDuration(baseMs)}`,
  /** All events in the base window. */
  totalEvents: (baseMs: number) => `nines:slo_events_total:increase${formatPromDuration(baseMs)}`,
  /** Error ratio (bad / total) over a window, e.g. `nines:slo_error_ratio:rate1h`. */
  errorRatio: (windowMs: number) => `nines:slo_error_ratio:rate${formatPromDuration(windowMs)}`,
  /** The objective as a fraction (`0.999`). */
  objective: "nines:slo_objective:ratio",
  /** The error budget as a fraction (`1 - objective`). */
  errorBudget: "nines:slo_error_budget:ratio",
  /** Length of the SLO window in seconds. */
  windowSeconds: "nines:slo_window:seconds",
  /** Share of the error budget left over the SLO window (1 = untouched, < 0 = overspent). */
  budgetRemaining: "nines:slo_error_budget_remaining:ratio",
} as const;

/** Labels that nines sets on every recorded series and alert; SLO labels cannot override them. */
export const NINES_LABELS = ["nines_slo", "nines_service"] as const;
