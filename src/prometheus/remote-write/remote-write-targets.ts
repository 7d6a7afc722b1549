import { isNinesError } from "../../errors/index.js";
import type { Slo } from "../../slo/model.js";
import { promNumber, promString } from "../promql-text.js";
import { type LabelMatcher, parseSeriesSelector, type SeriesSelector } from "./series-selector.js";

/** How a matched series' values become event counts. */
export type SeriesKind =
  /** A cumulative counter (`increase`/`rate` in the query): the increase between samples counts. */
  | "counter"
  /** Counts per interval (`sum_over_time` in the query): every sample's value counts. */
  | "gauge";

/** One side (events or total) of an SLO's remote-write series. */
export interface TargetSide {
  readonly selector: SeriesSelector;
  readonly kind: SeriesKind;
}

/** What remote-write series feed one SLO, derived from its spec. */
export interface RemoteWriteTarget {
  readonly sloId: string;
  /** What the events series count: good or bad events (latency SLIs: good, the threshold bucket). */
  readonly events: "good" | "bad";
  readonly eventsSide: TargetSide;
  readonly totalSide: TargetSide;
}

export type TargetResult =
  | { readonly ok: true; readonly target: RemoteWriteTarget }
  | { readonly ok: false; readonly sloId: string; readonly problem: string };

const WINDOW = "[{{window}}]";
const FUNCTIONS: readonly { readonly name: string; readonly kind: SeriesKind }[] = [
  { name: "increase", kind: "counter" },
  { name: "rate", kind: "counter" },
  { name: "irate", kind: "counter" },
  { name: "sum_over_time", kind: "gauge" },
];

/**
 * The remote-write series of an SLO, or why it has none. An SLO takes remote-write series when
 * its source is `prometheus` and `selector` is set. The events and total series are the single
 * series selector inside `increase(…[{{window}}])` (or `rate`, `irate`, `sum_over_time`) of
 * `eventsQuery` and `totalQuery`, optionally inside `sum(…)` / `sum by (…) (…)`; `{{threshold}}`
 * is replaced as in the rules. The label matchers of `selector` (its metric name, if any, is
 * ignored) are added to both sides.
 *
 * @example remoteWriteTarget(slo) // { ok: true, target: { events: "bad", eventsSide: { selector: http_requests_total{code=~"5..",job="api"} … } } }
 */
export function remoteWriteTarget(slo: Slo): TargetResult {
  const source = slo.source;
  const fail = (problem: string): TargetResult => ({ ok: false, sloId: slo.id, problem });
  if (source.kind !== "prometheus") return fail("the SLO's source is push, not prometheus");
  if (source.selector === undefined) return fail("source.prometheus.selector is not set");
  let common: readonly LabelMatcher[];
  try {
    const trimmed = source.selector.trim();
    common =
      trimmed === "" || trimmed === "{}"
        ? []
        : parseSeriesSelector(trimmed).matchers.filter((m) => m.name !== "__name__");
  } catch (error) {
    return fail(`source.prometheus.selector: ${isNinesError(error) ? error.message : String(error)}`);
  }
  const fill = (query: string) =>
    slo.sli.kind === "latency"
      ? query.replaceAll("{{threshold}}", promNumber(slo.sli.thresholdSeconds))
      : query;
  const sides: TargetSide[] = [];
  for (const [field, query] of [
    ["eventsQuery", source.eventsQuery],
    ["totalQuery", source.totalQuery],
  ] as const) {
    const side = sideOf(fill(query));
    if (typeof side === "string") return fail(`source.prometheus.${field}: ${side}`);
    const matchers = [...side.selector.matchers, ...common];
    sides.push({ kind: side.kind, selector: { text: selectorText(matchers), matchers } });
  }
  return {
    ok: true,
    target: {
      sloId: slo.id,
      events: slo.sli.kind === "ratio" ? slo.sli.count : "good",
      eventsSide: sides[0]!,
      totalSide: sides[1]!,
    },
  };
}

/** A selector as PromQL text: `name{label="value",…}`. */
function selectorText(matchers: readonly LabelMatcher[]): string {
  const name = matchers.find((m) => m.name === "__name__" && m.op === "=")?.value ?? "";
  const rest = matchers
    .filter((m) => !(m.name === "__name__" && m.op === "=" && m.value === name))
    .map((m) => `${m.name}${m.op}${promString(m.value)}`);
  return rest.length === 0 ? name : `${name}{${rest.join(",")}}`;
}

/** The series selector and function of a query `[sum[ by (…)]](fn(selector[{{window}}]))`, or a problem. */
function sideOf(query: string): { selector: SeriesSelector; kind: SeriesKind } | string {
  const at = query.indexOf(WINDOW);
  if (at < 0 || query.indexOf(WINDOW, at + 1) >= 0) {
    return `remote-write needs exactly one "${WINDOW}" range in the query`;
  }
  const before = query.slice(0, at);
  let best: { start: number; open: number; kind: SeriesKind } | undefined;
  for (const fn of FUNCTIONS) {
    const re = new RegExp(`\\b${fn.name}\\s*\\(`, "g");
    for (let m = re.exec(before); m !== null; m = re.exec(before)) {
      if (!best || m.index > best.start)
        best = { start: m.index, open: m.index + m[0].length, kind: fn.kind };
    }
  }
  if (!best) return "remote-write needs the range inside increase(), rate(), irate() or sum_over_time()";
  const rest = query.slice(at + WINDOW.length);
  const close = /^\s*\)/.exec(rest);
  if (!close) return "the range must close its function call right after [{{window}}]";
  let selector: SeriesSelector;
  try {
    selector = parseSeriesSelector(before.slice(best.open).trim());
  } catch (error) {
    return isNinesError(error) ? error.message : String(error);
  }
  // Whatever surrounds the function call may only be sum(…) wrappers.
  let outer = `${before.slice(0, best.start)}X${rest.slice(close[0].length)}`.replace(/\s+/g, "");
  const wrapper = /^sum(?:(?:by|without)\([a-zA-Z0-9_,]*\))?\((.*)\)(?:(?:by|without)\([a-zA-Z0-9_,]*\))?$/;
  for (let m = wrapper.exec(outer); m !== null; m = wrapper.exec(outer)) outer = m[1]!;
  if (outer !== "X") {
    return "remote-write accepts only sum(…) around the function call; nines adds series up itself";
  }
  return { selector, kind: best.kind };
}
