import type { Slo, SloWindow } from "../../slo/model.js";
import type { ResolvedCompileOptions } from "./compile-options.js";

const DAY = 86_400_000;
const CALENDAR_MS = { week: 7 * DAY, month: 30 * DAY, quarter: 90 * DAY } as const;

/**
 * Length of the SLO window for rules. Prometheus cannot start a window at a calendar boundary,
 * so calendar windows are approximated by a rolling window of the unit's nominal length
 * (week 7 d, month 30 d, quarter 90 d).
 */
export function sloWindowMs(window: SloWindow): number {
  return window.kind === "rolling" ? window.lengthMs : CALENDAR_MS[window.unit];
}

/** Whether a window is built from base recordings (`sum_over_time` of a subquery) or raw counters. */
export function isDerivedWindow(windowMs: number, opts: ResolvedCompileOptions): boolean {
  return windowMs >= opts.deriveFromMs && windowMs % opts.baseWindowMs === 0 && windowMs > opts.baseWindowMs;
}

/** Every window whose error ratio an SLO's rules record: base, alert windows, SLO window; ascending. */
export function recordedWindows(slo: Slo, opts: ResolvedCompileOptions): readonly number[] {
  const windows = new Set<number>([opts.baseWindowMs, sloWindowMs(slo.window)]);
  for (const line of slo.alerting.lines) {
    if (!line.enabled) continue;
    windows.add(line.longWindowMs);
    windows.add(line.shortWindowMs);
  }
  return [...windows].sort((a, b) => a - b);
}
