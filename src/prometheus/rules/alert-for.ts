import type { AlertLine } from "../../slo/model.js";
import type { ResolvedCompileOptions } from "./compile-options.js";

/**
 * The `for` of an alert line: `forFraction` of its short window, at least one evaluation
 * interval, at most `maxForMs`, rounded up to whole evaluation intervals. With the defaults:
 * 5m → 1m, 30m → 3m, 2h → 12m, 6h → 15m. A single bad evaluation (one scrape gap that makes a
 * 5-minute rate jump) then never pages, while detection is delayed by at most a tenth of the
 * short window, which the short window already tolerates (SRE Workbook, "Alerting on SLOs", §6).
 */
export function alertForMs(line: AlertLine, opts: ResolvedCompileOptions): number {
  const interval = opts.evaluationIntervalMs;
  const wanted = Math.min(Math.max(line.shortWindowMs * opts.forFraction, interval), opts.maxForMs);
  return Math.ceil(wanted / interval) * interval;
}
