import { calendarPeriod } from "./calendar.js";
import { formatDuration } from "./duration.js";
import { budgetStatus } from "./evaluator-core.js";
import type { SloStatus } from "./evaluator-types.js";
import { finiteOrZero } from "./finite.js";
import type { Slo } from "./model.js";
import type { SeriesResponse, SloSummary } from "./slo.schemas.js";
import type { Annotation, StoredSlo } from "./slo.store.js";
import type { SloRuntime } from "./slo-runtime.js";
import type { SourceStatus } from "./sources/source-status.js";

export function windowLabel(slo: Slo): string {
  return slo.window.kind === "rolling"
    ? `${formatDuration(slo.window.lengthMs)} rolling`
    : `${slo.window.unit} (${slo.window.timeZone})`;
}

/** The one-line state of an SLO for lists: worst firing severity, or "no data". */
export function summarize(stored: StoredSlo, status: SloStatus, source?: SourceStatus): SloSummary {
  const { slo } = stored;
  const firingLines = status.lines.filter((l) => l.state === "firing");
  const firing = firingLines.map((l) => l.name);
  if (status.missingData) firing.push("missing-data");
  // A source that fails is "no data" (with its error in `source`), never "ok" on numbers that stopped.
  const sourceFailing = source?.state === "error";
  const state = firingLines.some((l) => l.severity === "page")
    ? "page"
    : firing.length > 0
      ? "ticket"
      : status.total === 0 || sourceFailing
        ? "no data"
        : "ok";
  const shortest = [...status.windows].sort((a, b) => a.windowMs - b.windowMs)[0];
  const pageLong = slo.alerting.lines.find((l) => l.severity === "page")?.longWindowMs ?? 3_600_000;
  const long = status.windows.find((w) => w.windowMs === pageLong);
  return {
    id: slo.id,
    service: slo.service,
    name: slo.name,
    team: slo.team,
    description: slo.description,
    objective: slo.objective,
    windowLabel: windowLabel(slo),
    sliKind: slo.sli.kind,
    version: stored.version,
    sli: status.sli,
    budgetRemaining: finiteOrZero(status.budget.remainingShare),
    budget: {
      method: status.budget.method,
      allowed: finiteOrZero(status.budget.allowed),
      spent: finiteOrZero(status.budget.spent),
      remaining: finiteOrZero(status.budget.remaining),
    },
    burnRateShort: finiteOrZero(shortest?.burnRate ?? 0),
    burnRateLong: finiteOrZero(long?.burnRate ?? 0),
    state,
    firing,
    missingData: status.missingData,
    ...(source ? { source } : {}),
  };
}

/**
 * Chart points from `from` to `to`: the SLI of each step, the budget remaining over the SLO
 * window ending at the point, and the burn rate over each alert window ending at the point.
 * Each value costs O(1) from the store's running sums.
 */
export function sloSeries(
  runtime: SloRuntime,
  slo: Slo,
  range: { from: number; to: number; step: number },
  annotations: readonly Annotation[],
): SeriesResponse {
  const windowsMs = [...new Set(slo.alerting.lines.flatMap((l) => [l.shortWindowMs, l.longWindowMs]))].sort(
    (a, b) => a - b,
  );
  const errorBudget = 1 - slo.objective;
  const points: SeriesResponse["points"] = [];
  for (const p of runtime.sli.range(slo.id, range.from, range.to, range.step)) {
    const period = slo.window.kind === "calendar" ? calendarPeriod(slo.window, p.at) : undefined;
    const windowFrom = period
      ? period.startMs
      : p.at - (slo.window.kind === "rolling" ? slo.window.lengthMs : 0);
    const length = period
      ? period.endMs - period.startMs
      : slo.window.kind === "rolling"
        ? slo.window.lengthMs
        : 0;
    const whole = runtime.sli.sum(slo.id, windowFrom, p.at);
    const budget = budgetStatus(slo, whole.good, whole.total, length, 0);
    const burnRates = windowsMs.map((w) => {
      const s = runtime.sli.sum(slo.id, p.at - w, p.at);
      return s.total > 0 ? (s.total - s.good) / s.total / errorBudget : 0;
    });
    points.push({
      at: p.at,
      good: p.good,
      total: p.total,
      sli: p.total > 0 ? p.good / p.total : null,
      budgetRemaining: finiteOrZero(budget.remainingShare),
      burnRates: burnRates.map(finiteOrZero),
    });
  }
  return {
    windows: windowsMs.map((w) => ({ name: formatDuration(w), windowMs: w })),
    points,
    annotations: annotations.map((a) => ({
      id: a.id,
      kind: a.kind,
      at: a.at,
      endAt: a.endAt,
      text: a.text,
      author: a.author,
    })),
  };
}
