import {
  type AlertLineOverride,
  applyLineOverrides,
  DEFAULT_MISSING_DATA_AFTER_MS,
  defaultAlertLines,
} from "../alert-policy.js";
import { tryParseDuration } from "../duration.js";
import type { AlertLine, AlertPolicy } from "../model.js";
import { checkAlertLines, type LinePathOf } from "./checks.js";
import type { Path } from "./diagnostic.js";
import { suggestion } from "./did-you-mean.js";
import {
  type AlertingInput,
  type AlertLineInput,
  type AlertPolicyDocument,
  NAME_PATTERN,
} from "./native-schema.js";
import type { Reporter } from "./spec-document.js";

/** A `kind: AlertPolicy` document: line overrides applied for every SLO that names it. */
export interface NamedAlertPolicy {
  readonly name: string;
  readonly base: "default" | "none";
  readonly missingDataAfterMs?: number;
  readonly lines: Readonly<Record<string, AlertLineOverride>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly file: string;
}

const RESERVED_POLICY_NAMES = ["default", "none"];

/** Converts one schema-checked alert line to milliseconds. */
export function toLineOverride(input: AlertLineInput): AlertLineOverride {
  const long = input.longWindow === undefined ? undefined : tryParseDuration(input.longWindow);
  const short = input.shortWindow === undefined ? undefined : tryParseDuration(input.shortWindow);
  return {
    ...(input.severity !== undefined ? { severity: input.severity } : {}),
    ...(input.burnRate !== undefined ? { burnRate: input.burnRate } : {}),
    ...(long !== undefined ? { longWindowMs: long } : {}),
    ...(short !== undefined ? { shortWindowMs: short } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.minEvents !== undefined ? { minEvents: input.minEvents } : {}),
    ...(input.labels !== undefined ? { labels: input.labels } : {}),
    ...(input.annotations !== undefined ? { annotations: input.annotations } : {}),
  };
}

function readLines(
  lines: Readonly<Record<string, AlertLineInput>>,
  r: Reporter,
  path: Path,
  requireComplete: boolean,
): Record<string, AlertLineOverride> {
  const out: Record<string, AlertLineOverride> = {};
  for (const [name, input] of Object.entries(lines)) {
    if (!new RegExp(NAME_PATTERN).test(name)) {
      r.error(
        [...path, name],
        `alert line name "${name}" is not valid`,
        "use letters, digits, and - . _",
        true,
      );
      continue;
    }
    const o = toLineOverride(input);
    if (requireComplete) {
      const missing = (["severity", "burnRate", "longWindow", "shortWindow"] as const).filter(
        (f) => input[f] === undefined,
      );
      if (missing.length > 0)
        r.error(
          [...path, name],
          `alert line "${name}" needs ${missing.join(", ")}`,
          'with base "none" every line is complete; or use base "default" to inherit the Workbook lines',
        );
    }
    if (o.longWindowMs !== undefined && o.shortWindowMs !== undefined && o.shortWindowMs >= o.longWindowMs)
      r.error(
        [...path, name, "shortWindow"],
        `alert line "${name}": shortWindow ${input.shortWindow} is not shorter than longWindow ${input.longWindow}`,
        "the Workbook uses a short window of 1/12 of the long one",
      );
    out[name] = o;
  }
  return out;
}

/** Reads a schema-checked AlertPolicy document. */
export function readAlertPolicyDocument(
  input: AlertPolicyDocument,
  r: Reporter,
): NamedAlertPolicy | undefined {
  const before = r.errorCount();
  const name = input.metadata.name;
  if (RESERVED_POLICY_NAMES.includes(name))
    r.error(["metadata", "name"], `"${name}" is a built-in policy name`, "choose another name");
  const base = input.spec.base ?? "default";
  const lines = readLines(input.spec.lines, r, ["spec", "lines"], base === "none");
  const missing =
    input.spec.missingDataAfter === undefined ? undefined : tryParseDuration(input.spec.missingDataAfter);
  if (r.errorCount() > before) return undefined;
  return {
    name,
    base,
    lines,
    annotations: input.metadata.annotations ?? {},
    file: r.file,
    ...(missing !== undefined ? { missingDataAfterMs: missing } : {}),
  };
}

function withWideExtras(
  line: AlertLine,
  labels: Readonly<Record<string, string>> | undefined,
  annotations: Readonly<Record<string, string>> | undefined,
): AlertLine {
  const l = labels === undefined ? line.labels : { ...labels, ...line.labels };
  const a = annotations === undefined ? line.annotations : { ...annotations, ...line.annotations };
  return {
    ...line,
    ...(l !== undefined && Object.keys(l).length > 0 ? { labels: l } : {}),
    ...(a !== undefined && Object.keys(a).length > 0 ? { annotations: a } : {}),
  };
}

/**
 * Resolves an SLO's `alerting` block: the base policy (default, none, or a named policy), then
 * the SLO's own alerting-wide labels and per-line overrides. Reports and returns undefined on error.
 */
export function resolveAlerting(
  alerting: AlertingInput | undefined,
  objective: number,
  windowMs: number,
  policies: ReadonlyMap<string, NamedAlertPolicy>,
  r: Reporter,
  alertingPath: Path,
  fallbackPath: Path,
): AlertPolicy | undefined {
  const before = r.errorCount();
  const policyName = alerting?.policy ?? "default";
  let base: AlertLine[] = [];
  let missingDataAfterMs = DEFAULT_MISSING_DATA_AFTER_MS;
  let named: NamedAlertPolicy | undefined;
  if (policyName === "default") base = defaultAlertLines(windowMs, objective);
  else if (policyName !== "none") {
    named = policies.get(policyName);
    if (named === undefined) {
      r.error(
        [...alertingPath, "policy"],
        `no alert policy named "${policyName}" in the files given`,
        suggestion(policyName, ["default", "none", ...policies.keys()]),
      );
      return undefined;
    }
    const resolved = applyLineOverrides(
      named.base === "default" ? defaultAlertLines(windowMs, objective) : [],
      named.lines,
      objective,
    );
    for (const name of resolved.incomplete)
      r.error(
        [...alertingPath, "policy"],
        `line "${name}" of policy "${named.name}" (${named.file}) is not a default line and lacks severity, burnRate or windows`,
        "give the line every field in the policy",
      );
    base = resolved.lines;
    missingDataAfterMs = named.missingDataAfterMs ?? missingDataAfterMs;
  }
  const wide = base.map((line) => withWideExtras(line, alerting?.labels, alerting?.annotations));
  const overrides = readLines(alerting?.lines ?? {}, r, [...alertingPath, "lines"], false);
  const { lines, incomplete } = applyLineOverrides(wide, overrides, objective);
  for (const name of incomplete)
    r.error(
      [...alertingPath, "lines", name],
      `alert line "${name}" is not in policy "${policyName}", so it needs severity, burnRate, longWindow and shortWindow`,
      suggestion(
        name,
        base.map((l) => l.name),
      ),
    );
  const completed = lines.map((line) =>
    overrides[line.name] === undefined ? line : withWideExtras(line, alerting?.labels, alerting?.annotations),
  );
  const pathOf: LinePathOf = (line, field) => {
    const o = alerting?.lines?.[line];
    if (o !== undefined && field !== undefined && field in o) return [...alertingPath, "lines", line, field];
    if (o !== undefined) return [...alertingPath, "lines", line];
    if (named !== undefined) return [...alertingPath, "policy"];
    return fallbackPath;
  };
  const checked = checkAlertLines(completed, objective, windowMs, r, pathOf);
  if (alerting?.missingDataAfter !== undefined)
    missingDataAfterMs = tryParseDuration(alerting.missingDataAfter) ?? missingDataAfterMs;
  if (r.errorCount() > before) return undefined;
  return {
    name: policyName,
    lines: checked,
    missingDataAfterMs,
    ...(alerting?.name !== undefined ? { alertName: alerting.name } : {}),
  };
}
