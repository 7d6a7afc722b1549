/** OpenSLO SLIs (ratio and histogram threshold metrics) as nines SLIs with Prometheus queries. */
import type { Sli, SliSource } from "../model.js";
import type { Path } from "./diagnostic.js";
import { FALLBACK_PROMETHEUS_URL, type ImportOptions } from "./import-options.js";
import type { OpenSloDataSource, OpenSloMetric, OpenSloObjective, OpenSloSliSpec } from "./openslo-schema.js";
import type { Reporter } from "./spec-document.js";

/** An SLI spec and where it was written (inline in the SLO or a separate `kind: SLI`). */
export interface LocatedSli {
  readonly spec: OpenSloSliSpec;
  readonly r: Reporter;
  readonly path: Path;
}

export interface LocatedDataSource {
  readonly value: OpenSloDataSource;
  readonly r: Reporter;
}

export interface OpenSloContext {
  readonly slis: ReadonlyMap<string, LocatedSli>;
  readonly dataSources: ReadonlyMap<string, LocatedDataSource>;
  readonly options: ImportOptions;
}

const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/;

interface SourceParts {
  readonly url: string;
  readonly query: string;
}

function readMetric(
  metric: OpenSloMetric,
  ctx: OpenSloContext,
  at: LocatedSli,
  path: Path,
  warnedUrl: { done: boolean },
): SourceParts | undefined {
  const { r } = at;
  const ms = metric.metricSource;
  let url: string | undefined;
  let type = ms.type;
  if (ms.metricSourceRef !== undefined) {
    const ds = ctx.dataSources.get(ms.metricSourceRef);
    if (ds === undefined) {
      r.error(
        [...path, "metricSource", "metricSourceRef"],
        `no DataSource named "${ms.metricSourceRef}" in the files given`,
        "pass the DataSource file too",
      );
      return undefined;
    }
    type = type ?? ds.value.spec.type;
    const u = ds.value.spec.connectionDetails.url;
    if (typeof u === "string") url = u;
  }
  if (type === undefined || type.toLowerCase() !== "prometheus") {
    r.error(
      [...path, "metricSource", "type"],
      `metric source type ${type === undefined ? "(none)" : `"${type}"`} is not supported: nines reads Prometheus-compatible sources`,
      "use a Prometheus, Thanos or Mimir query, or push the counts to nines",
    );
    return undefined;
  }
  for (const key of Object.keys(ms.spec))
    if (key !== "query") {
      r.error(
        [...path, "metricSource", "spec", key],
        `metricSource.spec.${key} is not supported`,
        "a Prometheus metric source has only spec.query",
        true,
      );
      return undefined;
    }
  const query = ms.spec.query;
  if (typeof query !== "string" || query.trim() === "") {
    r.error([...path, "metricSource", "spec", "query"], "a Prometheus metric source needs spec.query");
    return undefined;
  }
  if (url === undefined) {
    url = ctx.options.prometheusUrl ?? FALLBACK_PROMETHEUS_URL;
    if (ctx.options.prometheusUrl === undefined && !warnedUrl.done) {
      warnedUrl.done = true;
      r.warning(
        [...path, "metricSource"],
        `no DataSource with connectionDetails.url: the imported SLO will query ${FALLBACK_PROMETHEUS_URL}`,
        "add metricSourceRef to a DataSource, pass --prometheus-url, or edit spec.source.prometheus.url",
      );
    }
  }
  return { url, query: query.trim() };
}

function windowed(query: string, counter: boolean): string | undefined {
  if (query.includes("{{window}}")) return query;
  if (SELECTOR.test(query))
    return counter ? `sum(increase(${query}[{{window}}]))` : `sum(sum_over_time(${query}[{{window}}]))`;
  return undefined;
}

export interface SliResult {
  readonly sli: Sli;
  readonly source: SliSource;
  /** For threshold metrics: the quantile, which becomes the slice target. */
  readonly quantile?: number;
}

export function readRatio(
  at: LocatedSli,
  ctx: OpenSloContext,
  warned: { done: boolean },
): SliResult | undefined {
  const ratio = at.spec.ratioMetric!;
  const path: Path = [...at.path, "ratioMetric"];
  const { r } = at;
  if (ratio.raw !== undefined || ratio.rawType !== undefined) {
    r.error(
      [...path, ratio.raw !== undefined ? "raw" : "rawType"],
      "raw ratio metrics are not supported: nines needs event counts",
      "use good (or bad) and total counters",
    );
    return undefined;
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined)) {
    r.error(path, "set exactly one of good or bad", "good: successful events; bad: failed events");
    return undefined;
  }
  if (ratio.total === undefined) {
    r.error([...path, "total"], "total is required");
    return undefined;
  }
  const count = ratio.good !== undefined ? "good" : "bad";
  const events = readMetric((ratio.good ?? ratio.bad)!, ctx, at, [...path, count], warned);
  const total = readMetric(ratio.total, ctx, at, [...path, "total"], warned);
  if (events === undefined || total === undefined) return undefined;
  const eventsQuery = windowed(events.query, ratio.counter);
  const totalQuery = windowed(total.query, ratio.counter);
  for (const [field, q] of [
    [count, eventsQuery],
    ["total", totalQuery],
  ] as const)
    if (q === undefined)
      r.error(
        [...path, field, "metricSource", "spec", "query"],
        "cannot turn this query into one per alert window: it is neither a plain series selector nor uses {{window}}",
        'use a selector such as http_requests_total{code!~"5.."}, or write the range as [{{window}}]',
      );
  if (eventsQuery === undefined || totalQuery === undefined) return undefined;
  return {
    sli: { kind: "ratio", count },
    source: { kind: "prometheus", url: events.url, eventsQuery, totalQuery, headers: {} },
  };
}

export function readThreshold(
  at: LocatedSli,
  objective: OpenSloObjective,
  objPath: Path,
  ctx: OpenSloContext,
  warned: { done: boolean },
): SliResult | undefined {
  const path: Path = [...at.path, "thresholdMetric"];
  const { r } = at;
  const metric = readMetric(at.spec.thresholdMetric!, ctx, at, path, warned);
  if (metric === undefined) return undefined;
  const m = /^histogram_quantile\(\s*([0-9]*\.?[0-9]+)\s*,([\s\S]+)\)$/.exec(metric.query);
  const bucket = m === null ? null : /([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\s*(?:\{([^{}]*)\})?/.exec(m[2] ?? "");
  const quantile = m === null ? Number.NaN : Number(m[1]);
  if (m === null || bucket === null || !(quantile > 0 && quantile <= 1)) {
    r.error(
      [...path, "metricSource", "spec", "query"],
      "threshold metrics are imported only as histogram_quantile(q, …<name>_bucket…) latency queries",
      "nines has no SLI kind for comparing an arbitrary gauge with a threshold; write it as a ratio metric",
    );
    return undefined;
  }
  if (objective.op === undefined || objective.value === undefined) {
    r.error(objPath, "a threshold metric objective needs op and value");
    return undefined;
  }
  if (objective.op === "gte" || objective.op === "gt") {
    r.error(
      [...objPath, "op"],
      `op ${objective.op} is not a latency bound`,
      "latency objectives use op: lte",
    );
    return undefined;
  }
  if (!(objective.value > 0)) {
    r.error([...objPath, "value"], "the latency threshold must be positive (seconds)");
    return undefined;
  }
  if (objective.op === "lt")
    r.warning(
      [...objPath, "op"],
      "op lt is read as lte: histogram buckets count requests at or under a bound",
    );
  const name = bucket[1] ?? "";
  const selector = (bucket[2] ?? "").trim();
  const value = objective.value;
  const le = `le="${value}"`;
  return {
    sli: { kind: "latency", thresholdSeconds: value, buckets: [value] },
    source: {
      kind: "prometheus",
      url: metric.url,
      eventsQuery: `sum(increase(${name}_bucket{${selector === "" ? le : `${selector}, ${le}`}}[{{window}}]))`,
      totalQuery: `sum(increase(${name}_count${selector === "" ? "" : `{${selector}}`}[{{window}}]))`,
      headers: {},
    },
    quantile,
  };
}
