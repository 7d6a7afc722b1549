import type { AlertLine, Slo } from "../../slo/model.js";
import { formatPromDuration } from "../prom-duration.js";
import { promNumber } from "../promql-text.js";
import { alertForMs } from "./alert-for.js";
import { alertName } from "./alert-name.js";
import type { ResolvedCompileOptions } from "./compile-options.js";
import { derivedSum } from "./recording-rules.js";
import { ruleNames } from "./rule-names.js";
import type { AlertingRule } from "./rule-types.js";
import { renderWindowQueries } from "./sli-queries.js";
import { checkLabelNames, sloRuleLabels, sloSelector } from "./slo-labels.js";
import { isDerivedWindow, sloWindowMs } from "./slo-windows.js";

const percent = (fraction: number): string => `${promNumber(fraction * 100)}%`;

function eventsOverWindow(slo: Slo, windowMs: number, opts: ResolvedCompileOptions): string {
  if (isDerivedWindow(windowMs, opts)) {
    return derivedSum(ruleNames.totalEvents(opts.baseWindowMs), slo, windowMs, opts);
  }
  return renderWindowQueries(slo, windowMs).total;
}

/**
 * The alert name is the policy's `alertName` (Sloth `alerting.name`, shared by all lines) or
 * `NinesSloBurn<Line>`. Labels: SLO labels, then the line's labels, then nines' own
 * (`nines_slo`, `nines_service`, `severity` page/ticket, `tier` line name), which always win.
 *
 * The alerting rule of one multi-window, multi-burn-rate line (SRE Workbook, "Alerting on
 * SLOs", §6): fires when the error ratio over both the long and the short window exceeds
 * `burnRate × (1 − objective)`, like Sloth's `(ratio_rate5m > (14.4 * 0.001)) and (ratio_rate1h > …)`.
 * A line with `minEvents > 0` also needs that many events in the long window.
 */
export function alertingRule(slo: Slo, line: AlertLine, opts: ResolvedCompileOptions): AlertingRule {
  const budget = 1 - slo.objective;
  const threshold = `(${promNumber(line.burnRate)} * ${promNumber(budget)})`;
  const sel = sloSelector(slo);
  const long = formatPromDuration(line.longWindowMs);
  const short = formatPromDuration(line.shortWindowMs);
  let expr =
    `(${ruleNames.errorRatio(line.longWindowMs)}${sel} > ${threshold})\n` +
    `and\n(${ruleNames.errorRatio(line.shortWindowMs)}${sel} > ${threshold})`;
  if (line.minEvents > 0) {
    expr += `\nand on()\n(sum(${eventsOverWindow(slo, line.longWindowMs, opts)}) >= ${line.minEvents})`;
  }
  const windowText = formatPromDuration(sloWindowMs(slo.window));
  const exhaustion = formatPromDuration(
    Math.round(sloWindowMs(slo.window) / line.burnRate / 60_000) * 60_000,
  );
  const annotations: Record<string, string> = {
    summary: `${slo.id}: error budget burning ${promNumber(line.burnRate)}x too fast over ${long} and ${short}`,
    description:
      `${slo.description === "" ? "" : `${slo.description}. `}` +
      `Error ratio over ${long} is {{ $value | humanizePercentage }}, above ${percent(line.burnRate * budget)} ` +
      `(${promNumber(line.burnRate)} x the ${percent(budget)} budget of a ${percent(slo.objective)} SLO over ${windowText}); ` +
      `at this rate the whole budget lasts ${exhaustion}.`,
  };
  const runbook = slo.annotations["runbook"] ?? slo.annotations["runbook_url"];
  if (runbook !== undefined) annotations["runbook"] = runbook;
  const dashboard = opts.dashboardUrl(slo);
  if (dashboard !== undefined) annotations["dashboard"] = dashboard;
  return {
    alert: slo.alerting.alertName ?? alertName(line.name),
    expr,
    for: formatPromDuration(alertForMs(line, opts)),
    labels: alertLabels(slo, line),
    ...(opts.annotations ? { annotations: { ...annotations, ...line.annotations } } : {}),
  };
}

/** Labels of a line's alert: a line's own labels (Sloth `page_alert.labels`) refine the SLO's; nines' labels always win. */
export function alertLabels(slo: Slo, line: AlertLine): Record<string, string> {
  const lineLabels = line.labels ?? {};
  checkLabelNames(slo, lineLabels);
  return {
    ...sloRuleLabels(slo),
    ...lineLabels,
    nines_slo: slo.id,
    nines_service: slo.service,
    severity: line.severity,
    tier: line.name,
  };
}

/** The alerting rules of an SLO: one per enabled line of its policy. */
export function alertingRules(slo: Slo, opts: ResolvedCompileOptions): readonly AlertingRule[] {
  return slo.alerting.lines.filter((line) => line.enabled).map((line) => alertingRule(slo, line, opts));
}
