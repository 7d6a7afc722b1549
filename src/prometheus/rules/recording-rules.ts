import type { Slo } from "../../slo/model.js";
import { formatPromDuration } from "../prom-duration.js";
import { promNumber } from "../promql-text.js";
import type { ResolvedCompileOptions } from "./compile-options.js";
import { ruleNames } from "./rule-names.js";
import type { RecordingRule } from "./rule-types.js";
import { renderWindowQueries } from "./sli-queries.js";
import { sloRuleLabels, sloSelector } from "./slo-labels.js";
import { isDerivedWindow, recordedWindows, sloWindowMs } from "./slo-windows.js";

/**
 * PromQL of the events of an SLO over a derived window: the base-window recordings summed at
 * base-window steps (`sum_over_time(x[30d:5m])`), i.e. non-overlapping base tiles.
 */
export function derivedSum(
  recording: string,
  slo: Slo,
  windowMs: number,
  opts: ResolvedCompileOptions,
): string {
  return `sum_over_time(${recording}${sloSelector(slo)}[${formatPromDuration(windowMs)}:${formatPromDuration(opts.baseWindowMs)}])`;
}

/**
 * The recording rules of one SLO: bad/total events over the base window, the error ratio of
 * every alert window and of the SLO window, then objective, budget, window length and budget
 * remaining. Rules are ordered so that each one reads series recorded earlier in the same group.
 */
export function recordingRules(slo: Slo, opts: ResolvedCompileOptions): readonly RecordingRule[] {
  const labels = sloRuleLabels(slo);
  const base = renderWindowQueries(slo, opts.baseWindowMs);
  const budget = 1 - slo.objective;
  const windowMs = sloWindowMs(slo.window);
  const badName = ruleNames.badEvents(opts.baseWindowMs);
  const totalName = ruleNames.totalEvents(opts.baseWindowMs);
  const rules: RecordingRule[] = [
    { record: badName, expr: base.bad, labels },
    { record: totalName, expr: base.total, labels },
  ];
  for (const w of recordedWindows(slo, opts)) {
    let expr: string;
    if (w === opts.baseWindowMs) {
      expr = `${badName}${sloSelector(slo)} / ${totalName}${sloSelector(slo)}`;
    } else if (isDerivedWindow(w, opts)) {
      expr = `${derivedSum(badName, slo, w, opts)}\n/\n${derivedSum(totalName, slo, w, opts)}`;
    } else {
      const q = renderWindowQueries(slo, w);
      expr = `${q.bad}\n/\n${q.total}`;
    }
    rules.push({ record: ruleNames.errorRatio(w), expr, labels });
  }
  rules.push(
    { record: ruleNames.objective, expr: `vector(${promNumber(slo.objective)})`, labels },
    { record: ruleNames.errorBudget, expr: `vector(${promNumber(budget)})`, labels },
    { record: ruleNames.windowSeconds, expr: `vector(${windowMs / 1000})`, labels },
    {
      record: ruleNames.budgetRemaining,
      expr: `1 - (${ruleNames.errorRatio(windowMs)}${sloSelector(slo)} / ${promNumber(budget)})`,
      labels,
    },
  );
  return rules;
}
