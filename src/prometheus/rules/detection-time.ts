import type { AlertLine, Slo } from "../../slo/model.js";
import { alertForMs } from "./alert-for.js";
import type { ResolvedCompileOptions } from "./compile-options.js";
import { isDerivedWindow } from "./slo-windows.js";

/**
 * Seconds of a 100% outage after which a line's long window crosses its threshold:
 * `burnRate × (1 − objective) × longWindow` (SRE Workbook, "Alerting on SLOs", detection time;
 * 14.4 × 0.001 × 1 h = 51.84 s). `Infinity` when the threshold is 100% or more.
 */
export function outageSecondsToDetect(slo: Slo, line: AlertLine): number {
  const threshold = line.burnRate * (1 - slo.objective);
  return threshold >= 1 ? Number.POSITIVE_INFINITY : (threshold * line.longWindowMs) / 1000;
}

/**
 * Upper bound, in ms after a 100% outage starts, by which the compiled rule of a line fires when
 * samples arrive every evaluation interval: the outage must first be visible in whole samples
 * (the threshold is strict), a derived window can lag by one base tile plus one evaluation, and
 * `for` must then elapse.
 */
export function firingBoundMs(slo: Slo, line: AlertLine, opts: ResolvedCompileOptions): number {
  const interval = opts.evaluationIntervalMs;
  const seconds = outageSecondsToDetect(slo, line);
  if (!Number.isFinite(seconds)) return Number.POSITIVE_INFINITY;
  const visible = (Math.floor((seconds * 1000) / interval) + 1) * interval;
  const derived = isDerivedWindow(line.longWindowMs, opts) || isDerivedWindow(line.shortWindowMs, opts);
  const lag = derived ? opts.baseWindowMs + interval : 0;
  return visible + lag + alertForMs(line, opts);
}
