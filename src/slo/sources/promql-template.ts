import { formatPromDuration } from "../../prometheus/prom-duration.js";

/** The placeholder a source query holds where its range goes (Sloth writes `{{.window}}`). */
export const WINDOW_PLACEHOLDER = "{{window}}";

/**
 * Fills every `{{window}}` of a query with a Prometheus duration, e.g. `sum(increase(x[{{window}}]))`
 * with 60 000 ms → `sum(increase(x[1m]))`. Durations are whole milliseconds, written with the
 * largest units first (`90s` → `1m30s`), which every Prometheus-compatible API reads.
 */
export function renderWindow(query: string, windowMs: number): string {
  return query.replaceAll(WINDOW_PLACEHOLDER, formatPromDuration(windowMs));
}
