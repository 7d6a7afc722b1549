import type { Path } from "./diagnostic.js";
import type { Reporter } from "./spec-document.js";

/** Options for reading foreign formats. */
export interface ImportOptions {
  /** Prometheus URL for imported SLOs whose file names none (Sloth never does). */
  readonly prometheusUrl?: string;
}

/** Used, with a warning, when an imported SLO names no Prometheus server. */
export const FALLBACK_PROMETHEUS_URL = "http://localhost:9090";

/** The Prometheus URL for an import, warning when nines has to assume one. */
export function importPrometheusUrl(options: ImportOptions, r: Reporter, path: Path): string {
  if (options.prometheusUrl !== undefined) return options.prometheusUrl;
  r.warning(
    path,
    `the file names no Prometheus server; the imported SLOs will query ${FALLBACK_PROMETHEUS_URL}`,
    "pass --prometheus-url to nines slo import, or edit spec.source.prometheus.url afterwards",
  );
  return FALLBACK_PROMETHEUS_URL;
}
