import { nominalWindowMs } from "../budget.js";
import { tryParseDuration } from "../duration.js";
import type { Budgeting, PrometheusAuth, Sli, SliSource, Slo, SloWindow } from "../model.js";
import { type NamedAlertPolicy, resolveAlerting } from "./alerting.js";
import { checkSloWarnings, checkTargetPercent, checkTimeZone, percentToFraction } from "./checks.js";
import type { Path } from "./diagnostic.js";
import type { PrometheusAuthInput, SloDocument, SloFlatDocument, SloSpecInput } from "./native-schema.js";
import type { Reporter } from "./spec-document.js";

function readSli(sli: SloSpecInput["sli"], r: Reporter, path: Path): Sli | undefined {
  if ((sli.ratio === undefined) === (sli.latency === undefined)) {
    r.error(
      path,
      "set exactly one of sli.ratio or sli.latency",
      "ratio: { count: good } for availability; latency: { thresholdSeconds, buckets }",
    );
    return undefined;
  }
  if (sli.ratio !== undefined) return { kind: "ratio", count: sli.ratio.count };
  const latency = sli.latency!;
  const buckets = latency.buckets;
  for (let i = 1; i < buckets.length; i++) {
    if ((buckets[i] ?? 0) <= (buckets[i - 1] ?? 0)) {
      r.error(
        [...path, "latency", "buckets", i],
        `buckets must be strictly ascending: ${buckets[i]} follows ${buckets[i - 1]}`,
      );
      return undefined;
    }
  }
  const t = latency.thresholdSeconds;
  if (!buckets.some((b) => Math.abs(b - t) <= 1e-12 * Math.max(1, t))) {
    const below = buckets.filter((b) => b < t).at(-1);
    const above = buckets.find((b) => b > t);
    const near = [below, above].filter((b) => b !== undefined).join(" and ");
    r.error(
      [...path, "latency", "thresholdSeconds"],
      `threshold ${t}s is not a histogram bucket bound, so requests cannot be split at it${near === "" ? "" : `; the nearest bounds are ${near}`}`,
      `set thresholdSeconds to a bucket bound, or add ${t} to the histogram's buckets (in the instrumentation too)`,
    );
    return undefined;
  }
  return { kind: "latency", thresholdSeconds: t, buckets };
}

function readWindow(window: SloSpecInput["window"], r: Reporter, path: Path): SloWindow | undefined {
  if ((window.rolling === undefined) === (window.calendar === undefined)) {
    r.error(
      path,
      "set exactly one of window.rolling or window.calendar",
      'e.g. rolling: 30d, or calendar: month with timeZone: "Europe/Berlin"',
    );
    return undefined;
  }
  if (window.rolling !== undefined) {
    if (window.timeZone !== undefined) {
      r.error(
        [...path, "timeZone"],
        "timeZone applies only to calendar windows",
        "remove it, or use calendar: week|month|quarter",
      );
      return undefined;
    }
    const lengthMs = tryParseDuration(window.rolling) ?? 0;
    if (lengthMs < 3_600_000) {
      r.error(
        [...path, "rolling"],
        `a rolling window of ${window.rolling} is too short to hold an error budget`,
        "use at least 1h; the Workbook suggests 28d or 30d",
      );
      return undefined;
    }
    return { kind: "rolling", lengthMs };
  }
  const timeZone = window.timeZone ?? "UTC";
  if (!checkTimeZone(timeZone, r, [...path, "timeZone"])) return undefined;
  return { kind: "calendar", unit: window.calendar!, timeZone };
}

function readBudgeting(
  budgeting: SloSpecInput["budgeting"],
  windowMs: number,
  r: Reporter,
  path: Path,
): Budgeting | undefined {
  if (budgeting === undefined) return { method: "occurrences" };
  if (budgeting.method === "occurrences") {
    for (const field of ["sliceWindow", "sliceTarget"] as const)
      if (budgeting[field] !== undefined) {
        r.error(
          [...path, field],
          `${field} applies only to method: timeslices`,
          "remove it or set method: timeslices",
        );
        return undefined;
      }
    return { method: "occurrences" };
  }
  if (budgeting.sliceWindow === undefined || budgeting.sliceTarget === undefined) {
    r.error(
      path,
      "method timeslices needs sliceWindow and sliceTarget",
      "e.g. sliceWindow: 1m, sliceTarget: 95 (a minute is good when 95% of its requests are)",
    );
    return undefined;
  }
  const sliceMs = tryParseDuration(budgeting.sliceWindow) ?? 0;
  if (sliceMs <= 0 || sliceMs >= windowMs) {
    r.error(
      [...path, "sliceWindow"],
      `sliceWindow ${budgeting.sliceWindow} must be positive and shorter than the SLO window`,
    );
    return undefined;
  }
  if (sliceMs % 1000 !== 0) {
    r.error([...path, "sliceWindow"], "sliceWindow must be a whole number of seconds");
    return undefined;
  }
  return { method: "timeslices", sliceMs, sliceTarget: percentToFraction(budgeting.sliceTarget) };
}

function readSource(source: SloSpecInput["source"], r: Reporter, path: Path): SliSource | undefined {
  if (source === undefined || (source.prometheus === undefined && source.push !== undefined))
    return { kind: "push" };
  if (source.push !== undefined) {
    r.error(path, "set at most one of source.push or source.prometheus");
    return undefined;
  }
  const p = source.prometheus;
  if (p === undefined) return { kind: "push" };
  let ok = true;
  const protocol = URL.canParse(p.url) ? new URL(p.url).protocol : "";
  if (protocol !== "http:" && protocol !== "https:") {
    r.error(
      [...path, "prometheus", "url"],
      `"${p.url}" is not an http(s) URL`,
      "e.g. http://prometheus:9090",
    );
    ok = false;
  } else if (new URL(p.url).username !== "" || new URL(p.url).password !== "") {
    r.error(
      [...path, "prometheus", "url"],
      "the URL holds credentials, which would be stored and shown with the spec",
      "drop user:password@ from the URL and use auth: { basic: { username, passwordEnv } }",
    );
    ok = false;
  }
  for (const field of ["eventsQuery", "totalQuery"] as const) {
    if (!p[field].includes("{{window}}")) {
      r.error(
        [...path, "prometheus", field],
        `${field} has no {{window}} placeholder, so nines cannot ask for each alert window`,
        p[field].includes("{{.window}}")
          ? "write {{window}}: nines/v1 specs use {{window}} where Sloth writes {{.window}}"
          : `e.g. sum(increase(http_requests_total[{{window}}]))`,
      );
      ok = false;
    }
  }
  const promPath = [...path, "prometheus"];
  if (!checkHeaders(p.headers ?? {}, r, [...promPath, "headers"])) ok = false;
  const auth = readPrometheusAuth(p.auth, r, [...promPath, "auth"]);
  if (auth === null) ok = false;
  let timeoutMs: number | undefined;
  if (p.timeout !== undefined) {
    timeoutMs = tryParseDuration(p.timeout);
    if (timeoutMs === undefined || timeoutMs < 100 || timeoutMs > 300_000) {
      r.error([...promPath, "timeout"], `timeout ${p.timeout} must be between 100ms and 5m`, "e.g. 10s");
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    kind: "prometheus",
    url: p.url,
    eventsQuery: p.eventsQuery,
    totalQuery: p.totalQuery,
    headers: p.headers ?? {},
    ...(p.selector !== undefined ? { selector: p.selector } : {}),
    ...(auth !== undefined && auth !== null ? { auth } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** RFC 9110 field names (tokens). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeaders(headers: Readonly<Record<string, string>>, r: Reporter, path: Path): boolean {
  let ok = true;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      r.error([...path, name], `"${name}" is not a valid HTTP header name`);
      ok = false;
    } else if (name.toLowerCase() === "authorization") {
      r.error(
        [...path, name],
        "credentials do not belong in headers: the spec is stored and shown as it is",
        "use auth: { bearer: { tokenEnv: PROMETHEUS_TOKEN } } (or basic with passwordEnv)",
      );
      ok = false;
    } else if (/[\r\n\0]/.test(value)) {
      r.error([...path, name], "a header value cannot hold line breaks or NUL");
      ok = false;
    }
  }
  return ok;
}

/** The auth of a Prometheus source; undefined when absent, null after an error. */
function readPrometheusAuth(
  auth: PrometheusAuthInput | undefined,
  r: Reporter,
  path: Path,
): PrometheusAuth | undefined | null {
  if (auth === undefined) return undefined;
  if ((auth.bearer === undefined) === (auth.basic === undefined)) {
    r.error(
      path,
      "set exactly one of auth.bearer or auth.basic",
      "bearer: { tokenEnv: PROMETHEUS_TOKEN } or basic: { username: nines, passwordEnv: PROMETHEUS_PASSWORD }",
    );
    return null;
  }
  if (auth.bearer !== undefined) return { kind: "bearer", tokenEnv: auth.bearer.tokenEnv };
  const basic = auth.basic!;
  if (basic.username.includes(":")) {
    r.error([...path, "basic", "username"], "a basic auth user name cannot contain a colon");
    return null;
  }
  return { kind: "basic", username: basic.username, passwordEnv: basic.passwordEnv };
}

/**
 * Builds an SLO from a schema-checked native document (metadata/spec or flat form).
 * Reports every problem found and returns undefined when there was an error.
 */
export function readNativeSlo(
  input: SloDocument | SloFlatDocument,
  r: Reporter,
  policies: ReadonlyMap<string, NamedAlertPolicy>,
): Slo | undefined {
  const before = r.errorCount();
  const flat = !("spec" in input);
  const spec: SloSpecInput = "spec" in input ? input.spec : input;
  const base: Path = flat ? [] : ["spec"];
  const name = "spec" in input ? input.metadata.name : input.name;
  const labels = ("spec" in input ? input.metadata.labels : input.labels) ?? {};
  const annotations = ("spec" in input ? input.metadata.annotations : input.annotations) ?? {};
  const targetPath = [...base, "objective", "target"];

  const objective = checkTargetPercent(spec.objective.target, r, targetPath);
  const sli = readSli(spec.sli, r, [...base, "sli"]);
  const window = readWindow(spec.window, r, [...base, "window"]);
  const source = readSource(spec.source, r, [...base, "source"]);
  if (objective === undefined || window === undefined) return undefined;
  const windowMs = nominalWindowMs(window);
  const budgeting = readBudgeting(spec.budgeting, windowMs, r, [...base, "budgeting"]);
  const alerting = resolveAlerting(
    spec.alerting,
    objective,
    windowMs,
    policies,
    r,
    [...base, "alerting"],
    targetPath,
  );
  if (sli === undefined || source === undefined || budgeting === undefined || alerting === undefined)
    return undefined;
  if (r.errorCount() > before) return undefined;
  checkSloWarnings(
    objective,
    windowMs,
    alerting.lines,
    r,
    targetPath,
    spec.alerting === undefined ? base : [...base, "alerting"],
  );
  return {
    id: `${spec.service}/${name}`,
    service: spec.service,
    name,
    description: spec.description ?? "",
    team: spec.team ?? "",
    labels,
    sli,
    source,
    objective,
    window,
    budgeting,
    alerting,
    annotations,
  };
}
