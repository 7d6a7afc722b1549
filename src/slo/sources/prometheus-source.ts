import type { PrometheusSource as PrometheusSourceSpec, Slo } from "../model.js";
import type { PrometheusBackends } from "./prometheus-client.js";
import { combineCounts, type QueryValues } from "./promql-response.js";
import { renderWindow } from "./promql-template.js";
import {
  chunkRange,
  type Source,
  type SourceRead,
  type SourceReadOptions,
  type StepRange,
  stepEnds,
} from "./source.js";

/** Points per `query_range` request; Prometheus refuses more than 11,000. */
export const MAX_POINTS_PER_QUERY = 1_440;

/**
 * An SLO's SLI read from PromQL. Each step's counts come from the spec's queries with
 * `{{window}}` = the step: `sum(increase(x[1m]))` evaluated at `t` counts the events in
 * `(t − 1m, t]`, so consecutive steps add up to the whole range. One step is an instant query
 * (`/api/v1/query`); several are `/api/v1/query_range` requests of at most
 * {@link MAX_POINTS_PER_QUERY} points.
 */
export function prometheusSource(
  slo: Slo,
  backends: PrometheusBackends,
  maxPointsPerQuery = MAX_POINTS_PER_QUERY,
): Source {
  if (slo.source.kind !== "prometheus") return { kind: slo.source.kind, pulled: false, read: notPulled };
  const spec: PrometheusSourceSpec = slo.source;
  const count = slo.sli.kind === "ratio" ? slo.sli.count : "good";
  const endpoint = {
    url: spec.url,
    headers: spec.headers,
    ...(spec.auth ? { auth: spec.auth } : {}),
    ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
  };
  const one = async (range: StepRange, signal?: AbortSignal): Promise<SourceRead> => {
    const grid = stepEnds(range);
    const run = (template: string): Promise<QueryValues> => {
      const query = renderWindow(template, range.stepMs);
      return grid.length === 1
        ? backends.instant(endpoint, query, range.toMs, signal)
        : backends.range(endpoint, query, grid[0]!, range.toMs, range.stepMs, signal);
    };
    const [events, total] = await Promise.all([run(spec.eventsQuery), run(spec.totalQuery)]);
    const warnings = [...events.warnings, ...total.warnings];
    const dropped = events.dropped + total.dropped;
    if (dropped > 0) warnings.push(`${dropped} NaN, infinite or negative value(s) left out`);
    return { samples: combineCounts(grid, snap(events, range), snap(total, range), count), warnings };
  };
  return {
    kind: "prometheus",
    pulled: true,
    async read(range: StepRange, options: SourceReadOptions = {}): Promise<SourceRead> {
      const samples = [];
      const warnings = [];
      for (const chunk of chunkRange(range, maxPointsPerQuery)) {
        const part = await one(chunk, options.signal);
        samples.push(...part.samples);
        warnings.push(...part.warnings);
      }
      return { samples, warnings: [...new Set(warnings)] };
    },
  };
}

function notPulled(): Promise<SourceRead> {
  return Promise.resolve({ samples: [], warnings: [] });
}

/** Moves timestamps that float seconds put a millisecond off the grid back onto it. */
function snap(values: QueryValues, range: StepRange): QueryValues {
  let onGrid = true;
  for (const ts of values.points.keys()) if ((ts - range.fromMs) % range.stepMs !== 0) onGrid = false;
  if (onGrid) return values;
  const points = new Map<number, number>();
  for (const [ts, v] of values.points) {
    const at = range.fromMs + Math.round((ts - range.fromMs) / range.stepMs) * range.stepMs;
    points.set(at, (points.get(at) ?? 0) + v);
  }
  return { ...values, points };
}
