/**
 * What each alert line will do, known before any traffic (SRE Workbook, "Alerting on SLOs":
 * precision, recall, detection time, reset time). Assumes steady traffic and an error rate that
 * starts at `errorRate` from zero errors.
 */
import { fullOutageBudgetMs, nominalWindowMs } from "./budget.js";
import { SloArgumentInvalidError } from "./errors.js";
import type { AlertLine, Severity, Slo } from "./model.js";

export interface LineExplanation {
  readonly name: string;
  readonly severity: Severity;
  readonly enabled: boolean;
  readonly burnRate: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly minEvents: number;
  /** Smallest steady error rate that ever fires the line: burnRate · (1 − objective). */
  readonly minErrorRate: number;
  /** False when minErrorRate > 1: even a total outage cannot reach the threshold. */
  readonly canFire: boolean;
  /** Time from the start of a 100% outage until the line fires (Infinity if it cannot). */
  readonly detectionFullOutageMs: number;
  /** The error rate the next two fields are for. */
  readonly errorRate: number;
  /**
   * Time until the line fires at `errorRate`: max(long, short) of window · burnRate · (1 − objective)
   * / errorRate, i.e. the long window's condition; Infinity when errorRate < minErrorRate.
   */
  readonly detectionMs: number;
  /** Share of the budget spent when the line fires: long window · burnRate / SLO window (any rate). */
  readonly budgetConsumedAtDetection: number;
  /**
   * Time after the errors stop until the line stops firing, for an outage at `errorRate` that
   * lasted at least the long window: the short window clears after short · (1 − minErrorRate/errorRate).
   */
  readonly resetMs: number;
  /** Time until the long window alone forgets the outage (what a single-window alert would need). */
  readonly longWindowResetMs: number;
}

export interface SloExplanation {
  readonly id: string;
  readonly objective: number;
  readonly windowMs: number;
  /** Full outage the budget allows per window (43.2 min for 99.9% over 30 days). */
  readonly fullOutageBudgetMs: number;
  readonly errorRate: number;
  /** Time to spend the whole budget at `errorRate`, from a full budget. */
  readonly budgetExhaustionMs: number;
  readonly lines: readonly LineExplanation[];
}

function detectionAt(line: AlertLine, objective: number, errorRate: number): number {
  const threshold = line.burnRate * (1 - objective);
  if (errorRate <= 0 || errorRate < threshold) return Number.POSITIVE_INFINITY;
  // The ratio over a window of length w, t after onset (t ≤ w), is errorRate · t / w.
  const longCondition = (line.longWindowMs * threshold) / errorRate;
  const shortCondition = (line.shortWindowMs * threshold) / errorRate;
  return Math.max(longCondition, shortCondition);
}

/**
 * Explains one line for an SLO with `objective` (fraction) and window length `windowMs`.
 *
 * @example explainLine(pageFast, 0.999, 30 * 86_400_000).detectionFullOutageMs // 51_840
 */
export function explainLine(
  line: AlertLine,
  objective: number,
  windowMs: number,
  errorRate = 1,
): LineExplanation {
  if (!(objective > 0 && objective < 1))
    throw new SloArgumentInvalidError(`objective must be strictly between 0 and 1, got ${objective}`);
  if (!(errorRate > 0 && errorRate <= 1))
    throw new SloArgumentInvalidError(`errorRate must be in (0, 1], got ${errorRate}`);
  if (!(windowMs > 0)) throw new SloArgumentInvalidError(`windowMs must be positive, got ${windowMs}`);
  const minErrorRate = line.burnRate * (1 - objective);
  const canFire = minErrorRate <= 1;
  return {
    name: line.name,
    severity: line.severity,
    enabled: line.enabled,
    burnRate: line.burnRate,
    longWindowMs: line.longWindowMs,
    shortWindowMs: line.shortWindowMs,
    minEvents: line.minEvents,
    minErrorRate,
    canFire,
    detectionFullOutageMs: detectionAt(line, objective, 1),
    errorRate,
    detectionMs: detectionAt(line, objective, errorRate),
    budgetConsumedAtDetection: (line.longWindowMs * line.burnRate) / windowMs,
    resetMs: errorRate < minErrorRate ? 0 : line.shortWindowMs * (1 - minErrorRate / errorRate),
    longWindowResetMs: line.longWindowMs,
  };
}

/** Explains every line of an SLO's policy at `errorRate` (default: a 100% outage). */
export function explainSlo(slo: Slo, errorRate = 1): SloExplanation {
  const windowMs = nominalWindowMs(slo.window);
  const lines = slo.alerting.lines.map((line) => explainLine(line, slo.objective, windowMs, errorRate));
  return {
    id: slo.id,
    objective: slo.objective,
    windowMs,
    fullOutageBudgetMs: fullOutageBudgetMs(slo.objective, windowMs),
    errorRate,
    budgetExhaustionMs: (windowMs * (1 - slo.objective)) / errorRate,
    lines,
  };
}
