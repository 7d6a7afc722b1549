/**
 * Reads OpenSLO v1 SLOs (with inline or referenced SLIs and DataSources) into nines SLOs.
 * Each objective becomes one SLO. Ratio metrics map to ratio SLIs; a threshold metric on
 * `histogram_quantile(q, …_bucket…)` with `op: lte` maps to a latency SLI with timeslices
 * ("p(q) ≤ value in a slice" is "at least q of the slice's requests ≤ value").
 */
import { defaultAlertPolicy } from "../alert-policy.js";
import { nominalWindowMs } from "../budget.js";
import type { Slo } from "../model.js";
import { checkAlertLines, checkSloWarnings, checkTargetPercent, fractionToPercent } from "./checks.js";
import type { Path } from "./diagnostic.js";
import type { OpenSloObjective, OpenSloSlo } from "./openslo-schema.js";
import { type LocatedSli, type OpenSloContext, readRatio, readThreshold } from "./openslo-sli.js";
import { readBudgeting, readTimeWindow } from "./openslo-window.js";
import type { Reporter } from "./spec-document.js";

export type { LocatedDataSource, LocatedSli, OpenSloContext } from "./openslo-sli.js";

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** OpenSLO labels may be lists and use any key; nines labels are Prometheus label names. */
function flattenLabels(
  labels: Readonly<Record<string, string | readonly string[]>> | undefined,
  r: Reporter,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    let key = k.replace(/[^A-Za-z0-9_]/g, "_");
    if (/^[0-9]/.test(key)) key = `_${key}`;
    if (key !== k)
      r.warning(
        ["metadata", "labels", k],
        `label "${k}" is not a Prometheus label name; imported as "${key}"`,
        undefined,
        true,
      );
    out[key] = typeof v === "string" ? v : v.join(",");
  }
  return out;
}

/** Converts one schema-checked OpenSLO SLO document. */
export function readOpenSloSlo(value: OpenSloSlo, r: Reporter, ctx: OpenSloContext): Slo[] {
  const spec = value.spec;
  const before = r.errorCount();
  if (spec.alertPolicies !== undefined)
    r.error(
      ["spec", "alertPolicies"],
      "OpenSLO alert policies are not imported",
      "remove them: nines alerts with the Workbook's multi-window burn-rate lines (alerting in the native spec)",
      true,
    );
  if (spec.budgetingMethod === "RatioTimeslices")
    r.error(["spec", "budgetingMethod"], "RatioTimeslices is not supported", "use Occurrences or Timeslices");
  let at: LocatedSli | undefined;
  if ((spec.indicator === undefined) === (spec.indicatorRef === undefined)) {
    r.error(["spec"], "set exactly one of indicator or indicatorRef");
  } else if (spec.indicator !== undefined) {
    at = { spec: spec.indicator.spec, r, path: ["spec", "indicator", "spec"] };
  } else {
    at = ctx.slis.get(spec.indicatorRef!);
    if (at === undefined)
      r.error(
        ["spec", "indicatorRef"],
        `no SLI named "${spec.indicatorRef}" in the files given`,
        "pass the file with the kind: SLI document too",
      );
  }
  if (at !== undefined && (at.spec.ratioMetric === undefined) === (at.spec.thresholdMetric === undefined)) {
    at.r.error(at.path, "an SLI needs exactly one of ratioMetric or thresholdMetric");
    at = undefined;
  }
  const window = readTimeWindow(spec, r);
  if (at === undefined || window === undefined || r.errorCount() > before) return [];
  const windowMs = nominalWindowMs(window);
  const warned = { done: false };
  const labels = flattenLabels(value.metadata.labels, r);
  const out: Slo[] = [];
  spec.objectives.forEach((objective, i) => {
    const objPath: Path = ["spec", "objectives", i];
    const start = r.errorCount() + at.r.errorCount();
    for (const field of ["indicator", "indicatorRef", "compositeWeight"] as const)
      if (objective[field] !== undefined)
        r.error(
          [...objPath, field],
          `objectives[].${field} (composite SLOs) is not supported`,
          "import each SLI as its own SLO",
          true,
        );
    const fraction = readObjectiveFraction(objective, r, objPath);
    const result =
      at.spec.ratioMetric !== undefined
        ? readRatio(at, ctx, warned)
        : readThreshold(at, objective, objPath, ctx, warned);
    if (at.spec.ratioMetric !== undefined && (objective.op !== undefined || objective.value !== undefined))
      r.error(
        [...objPath, objective.op !== undefined ? "op" : "value"],
        "op and value apply only to threshold metrics",
      );
    const budgeting =
      result === undefined ? undefined : readBudgeting(spec.budgetingMethod, objective, result, r, objPath);
    const objectiveValue =
      fraction === undefined
        ? undefined
        : checkTargetPercent(fractionToPercent(fraction), r, [
            ...objPath,
            objective.target !== undefined ? "target" : "targetPercent",
          ]);
    if (
      result === undefined ||
      budgeting === undefined ||
      objectiveValue === undefined ||
      r.errorCount() + at.r.errorCount() > start
    )
      return;
    const policy = defaultAlertPolicy(window, objectiveValue);
    const lines = checkAlertLines(policy.lines, objectiveValue, windowMs, r, () => [...objPath], true);
    checkSloWarnings(objectiveValue, windowMs, lines, r, objPath, objPath);
    const suffix = spec.objectives.length > 1 ? `-${slug(objective.displayName ?? "") || String(i + 1)}` : "";
    const displayName = value.metadata.displayName;
    out.push({
      id: `${spec.service}/${value.metadata.name}${suffix}`,
      service: spec.service,
      name: `${value.metadata.name}${suffix}`,
      description: spec.description ?? at.spec.description ?? "",
      team: labels.team ?? labels.owner ?? "",
      labels,
      sli: result.sli,
      source: result.source,
      objective: objectiveValue,
      window,
      budgeting,
      alerting: { ...policy, lines },
      annotations: {
        ...value.metadata.annotations,
        ...(displayName !== undefined ? { "nines.dev/display-name": displayName } : {}),
        "nines.dev/imported-from": `openslo:${r.file}`,
      },
    });
  });
  return out;
}

function readObjectiveFraction(objective: OpenSloObjective, r: Reporter, path: Path): number | undefined {
  if (objective.target !== undefined && objective.targetPercent !== undefined) {
    r.error([...path, "targetPercent"], "set only one of target or targetPercent");
    return undefined;
  }
  if (objective.target !== undefined) {
    if (objective.target > 1) {
      r.error(
        [...path, "target"],
        `target ${objective.target} is above 1: OpenSLO targets are fractions`,
        `write target: ${objective.target / 100} or targetPercent: ${objective.target}`,
      );
      return undefined;
    }
    return objective.target;
  }
  if (objective.targetPercent !== undefined) return objective.targetPercent / 100;
  r.error(path, "an objective needs target (a fraction, 0.999) or targetPercent (99.9)");
  return undefined;
}
