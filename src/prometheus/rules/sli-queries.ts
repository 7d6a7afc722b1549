import type { Slo } from "../../slo/model.js";
import { RulesUnsupportedError } from "../errors.js";
import { formatPromDuration } from "../prom-duration.js";
import { promNumber } from "../promql-text.js";

const WINDOW = "{{window}}";
const THRESHOLD = "{{threshold}}";

/** The PromQL of an SLO's bad and total events over one window, ready for a rule. */
export interface WindowQueries {
  /** Bad events over the window (for `count: "good"` and latency SLIs: total − good). */
  readonly bad: string;
  readonly total: string;
}

/**
 * Renders an SLO's Prometheus queries for one window. `{{window}}` becomes the window
 * (`5m`); for latency SLIs `{{threshold}}` becomes the threshold in seconds.
 *
 * Contract: `eventsQuery` and `totalQuery` return event counts over the window (`increase`), so
 * that sums over time stay counts. Ratio SLIs: `eventsQuery` counts good or bad events as
 * `sli.count` says. Latency SLIs count good events: requests in the histogram bucket
 * `le="<threshold>"` (see {@link histogramQueries}). Both queries are wrapped in `sum()`, and a
 * missing events series counts as 0 (`or vector(0)`), so a service that never failed still has
 * an error ratio of 0 rather than no series.
 *
 * @example renderWindowQueries(slo, 300_000).bad // "(sum(increase(errors_total[5m])) or vector(0))"
 */
export function renderWindowQueries(slo: Slo, windowMs: number): WindowQueries {
  const source = slo.source;
  if (source.kind !== "prometheus") {
    throw new RulesUnsupportedError(
      `SLO ${slo.id} has a ${source.kind} source; only prometheus SLIs compile to rules`,
    );
  }
  for (const [name, query] of [
    ["eventsQuery", source.eventsQuery],
    ["totalQuery", source.totalQuery],
  ] as const) {
    if (!query.includes(WINDOW)) {
      throw new RulesUnsupportedError(`SLO ${slo.id}: ${name} has no ${WINDOW} placeholder`);
    }
  }
  const fill = (query: string): string => {
    let out = query.replaceAll(WINDOW, formatPromDuration(windowMs));
    if (slo.sli.kind === "latency") out = out.replaceAll(THRESHOLD, promNumber(slo.sli.thresholdSeconds));
    return out;
  };
  const events = `(sum(${fill(source.eventsQuery)}) or vector(0))`;
  const total = `sum(${fill(source.totalQuery)})`;
  const countsBad = slo.sli.kind === "ratio" && slo.sli.count === "bad";
  return { bad: countsBad ? events : `(${total} - ${events})`, total };
}

/**
 * Builds the `eventsQuery`/`totalQuery` pair for a latency SLI on a classic Prometheus histogram:
 * good events are the `<metric>_bucket{le="<threshold>"}` increase, all events the `<metric>_count`
 * increase. Integer thresholds match both `le="1"` and Prometheus 3's normalised `le="1.0"`.
 *
 * @example histogramQueries("http_request_duration_seconds", '{job="api"}', 0.3)
 */
export function histogramQueries(
  metric: string,
  matchers: string,
  thresholdSeconds: number,
): { readonly eventsQuery: string; readonly totalQuery: string } {
  const inner = matchers.trim().replace(/^\{/, "").replace(/\}$/, "").trim();
  const le = Number.isInteger(thresholdSeconds)
    ? `le=~"${thresholdSeconds}(\\\\.0)?"`
    : `le="${promNumber(thresholdSeconds)}"`;
  const bucketMatchers = inner === "" ? le : `${inner},${le}`;
  const countMatchers = inner === "" ? "" : `{${inner}}`;
  return {
    eventsQuery: `increase(${metric}_bucket{${bucketMatchers}}[${WINDOW}])`,
    totalQuery: `increase(${metric}_count${countMatchers}[${WINDOW}])`,
  };
}
