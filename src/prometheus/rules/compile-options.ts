import type { Slo } from "../../slo/model.js";

/** Options of {@link compileRules}; every field has a default. */
export interface CompileRulesOptions {
  /** Rule group `interval` (default 1 min). Also the unit `for` durations are rounded up to. */
  readonly evaluationIntervalMs?: number;
  /** The short window recorded from raw counters that long windows are built from (default 5 min). */
  readonly baseWindowMs?: number;
  /** Windows at least this long are built from base recordings, not raw counters (default 1 d). */
  readonly deriveFromMs?: number;
  /** `for` of an alert line = this fraction of its short window (default 0.1), see docs/prometheus.md. */
  readonly forFraction?: number;
  /** Upper bound of `for` (default 15 min). */
  readonly maxForMs?: number;
  /** Link put into the `dashboard` annotation; defaults to the SLO's `dashboard` annotation. */
  readonly dashboardUrl?: (slo: Slo) => string | undefined;
  /** Write summary/description/runbook/dashboard annotations on alerts (default true). */
  readonly annotations?: boolean;
}

export interface ResolvedCompileOptions {
  readonly evaluationIntervalMs: number;
  readonly baseWindowMs: number;
  readonly deriveFromMs: number;
  readonly forFraction: number;
  readonly maxForMs: number;
  readonly dashboardUrl: (slo: Slo) => string | undefined;
  readonly annotations: boolean;
}

export function resolveCompileOptions(opts: CompileRulesOptions = {}): ResolvedCompileOptions {
  return {
    evaluationIntervalMs: opts.evaluationIntervalMs ?? 60_000,
    baseWindowMs: opts.baseWindowMs ?? 300_000,
    deriveFromMs: opts.deriveFromMs ?? 86_400_000,
    forFraction: opts.forFraction ?? 0.1,
    maxForMs: opts.maxForMs ?? 900_000,
    dashboardUrl: opts.dashboardUrl ?? ((slo) => slo.annotations["dashboard"]),
    annotations: opts.annotations ?? true,
  };
}
