import { stringify } from "yaml";
import { DEFAULT_MISSING_DATA_AFTER_MS, defaultAlertLines, defaultMinEvents } from "../alert-policy.js";
import { nominalWindowMs } from "../budget.js";
import { formatDuration } from "../duration.js";
import type { AlertLine, PrometheusAuth, Slo } from "../model.js";
import { fractionToPercent } from "./checks.js";

type Yamlish = Record<string, unknown>;

function sameMap(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}

function fullLine(line: AlertLine, objective: number): Yamlish {
  return {
    severity: line.severity,
    burnRate: line.burnRate,
    longWindow: formatDuration(line.longWindowMs),
    shortWindow: formatDuration(line.shortWindowMs),
    ...(line.enabled ? {} : { enabled: false }),
    ...(line.minEvents === defaultMinEvents(line.burnRate, objective) ? {} : { minEvents: line.minEvents }),
    ...(line.labels !== undefined && Object.keys(line.labels).length > 0
      ? { labels: { ...line.labels } }
      : {}),
    ...(line.annotations !== undefined && Object.keys(line.annotations).length > 0
      ? { annotations: { ...line.annotations } }
      : {}),
  };
}

function lineDiff(line: AlertLine, base: AlertLine, objective: number): Yamlish {
  const out: Yamlish = {};
  if (line.severity !== base.severity) out.severity = line.severity;
  if (line.burnRate !== base.burnRate) out.burnRate = line.burnRate;
  if (line.longWindowMs !== base.longWindowMs) out.longWindow = formatDuration(line.longWindowMs);
  if (line.shortWindowMs !== base.shortWindowMs) out.shortWindow = formatDuration(line.shortWindowMs);
  if (line.enabled !== base.enabled) out.enabled = line.enabled;
  if (line.minEvents !== defaultMinEvents(line.burnRate, objective)) out.minEvents = line.minEvents;
  if (!sameMap(line.labels, base.labels)) out.labels = { ...line.labels };
  if (!sameMap(line.annotations, base.annotations)) out.annotations = { ...line.annotations };
  return out;
}

function alertingSection(slo: Slo): Yamlish | undefined {
  const windowMs = nominalWindowMs(slo.window);
  const defaults = defaultAlertLines(windowMs, slo.objective);
  const names = slo.alerting.lines.map((l) => l.name);
  const overDefault =
    slo.alerting.name === "default" &&
    defaults.every((d, i) => names[i] === d.name) &&
    names.length >= defaults.length;
  const lines: Record<string, Yamlish> = {};
  for (const line of slo.alerting.lines) {
    const base = overDefault ? defaults.find((d) => d.name === line.name) : undefined;
    const entry = base === undefined ? fullLine(line, slo.objective) : lineDiff(line, base, slo.objective);
    if (Object.keys(entry).length > 0) lines[line.name] = entry;
  }
  const section: Yamlish = {
    ...(overDefault ? {} : { policy: "none" }),
    ...(slo.alerting.missingDataAfterMs === DEFAULT_MISSING_DATA_AFTER_MS
      ? {}
      : { missingDataAfter: formatDuration(slo.alerting.missingDataAfterMs) }),
    ...(slo.alerting.alertName !== undefined ? { name: slo.alerting.alertName } : {}),
    ...(Object.keys(lines).length > 0 ? { lines } : {}),
  };
  return Object.keys(section).length > 0 ? section : undefined;
}

/**
 * The native `nines/v1` document for an SLO, in the metadata/spec form; parsing it gives back an
 * equal SLO. Alert lines are written as differences from the default policy; a policy that is
 * not the default one is written out in full under `policy: none`.
 */
export function toNativeDocument(slo: Slo): Yamlish {
  const spec: Yamlish = {
    service: slo.service,
    ...(slo.description !== "" ? { description: slo.description } : {}),
    ...(slo.team !== "" ? { team: slo.team } : {}),
    sli:
      slo.sli.kind === "ratio"
        ? { ratio: { count: slo.sli.count } }
        : { latency: { thresholdSeconds: slo.sli.thresholdSeconds, buckets: [...slo.sli.buckets] } },
    objective: { target: fractionToPercent(slo.objective) },
    window:
      slo.window.kind === "rolling"
        ? { rolling: formatDuration(slo.window.lengthMs) }
        : { calendar: slo.window.unit, timeZone: slo.window.timeZone },
    ...(slo.budgeting.method === "timeslices"
      ? {
          budgeting: {
            method: "timeslices",
            sliceWindow: formatDuration(slo.budgeting.sliceMs),
            sliceTarget: fractionToPercent(slo.budgeting.sliceTarget),
          },
        }
      : {}),
    ...(slo.source.kind === "prometheus"
      ? {
          source: {
            prometheus: {
              url: slo.source.url,
              eventsQuery: slo.source.eventsQuery,
              totalQuery: slo.source.totalQuery,
              ...(Object.keys(slo.source.headers).length > 0 ? { headers: { ...slo.source.headers } } : {}),
              ...(slo.source.selector !== undefined ? { selector: slo.source.selector } : {}),
              ...(slo.source.auth !== undefined ? { auth: authSection(slo.source.auth) } : {}),
              ...(slo.source.timeoutMs !== undefined
                ? { timeout: formatDuration(slo.source.timeoutMs) }
                : {}),
            },
          },
        }
      : {}),
  };
  const alerting = alertingSection(slo);
  if (alerting !== undefined) spec.alerting = alerting;
  return {
    apiVersion: "nines/v1",
    kind: "SLO",
    metadata: {
      name: slo.name,
      ...(Object.keys(slo.labels).length > 0 ? { labels: { ...slo.labels } } : {}),
      ...(Object.keys(slo.annotations).length > 0 ? { annotations: { ...slo.annotations } } : {}),
    },
    spec,
  };
}

/** YAML text of {@link toNativeDocument}, for `nines slo import … --out DIR`. */
export function toNativeYaml(slo: Slo): string {
  return stringify(toNativeDocument(slo), { lineWidth: 0 });
}

function authSection(auth: PrometheusAuth): Record<string, unknown> {
  return auth.kind === "bearer"
    ? { bearer: { tokenEnv: auth.tokenEnv } }
    : { basic: { username: auth.username, passwordEnv: auth.passwordEnv } };
}
