/**
 * The SRE Workbook's multi-window, multi-burn-rate alerting ("Alerting on SLOs", §6 and
 * table 5-8), scaled to any SLO window. For a 30-day window the four lines are:
 *
 * | line        | severity | burn | long | short | budget spent when it fires |
 * |-------------|----------|------|------|-------|----------------------------|
 * | page-fast   | page     | 14.4 | 1h   | 5m    | 2%                         |
 * | page-slow   | page     | 6    | 6h   | 30m   | 5%                         |
 * | ticket-fast | ticket   | 3    | 1d   | 2h    | 10%                        |
 * | ticket-slow | ticket   | 1    | 3d   | 6h    | 10%                        |
 *
 * Scaling (docs/slo-spec.md, "Default alert policy"): for a window of length W each long window
 * becomes `nice(long₃₀ · W / 30d)`, the short window `nice(long / 12)`, and the burn rate is
 * recomputed as `share · W / long` so every line still fires after spending the same share of
 * the budget. `nice` rounds to the nearest step of {@link NICE_DURATIONS_MS} (in log scale).
 */
import { nominalWindowMs } from "./budget.js";
import type { AlertLine, AlertPolicy, Severity, SloWindow } from "./model.js";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The Workbook's window for the reference table. */
export const REFERENCE_WINDOW_MS = 30 * DAY;

/** Default time without samples before the "no data" ticket (overridable per SLO and policy). */
export const DEFAULT_MISSING_DATA_AFTER_MS = 15 * MIN;

/** One line of the Workbook table, defined by the budget share it spends before firing. */
export interface WorkbookLine {
  readonly name: string;
  readonly severity: Severity;
  readonly budgetShare: number;
  /** Long window for a 30-day SLO. */
  readonly longWindowMs: number;
}

export const WORKBOOK_LINES: readonly WorkbookLine[] = [
  { name: "page-fast", severity: "page", budgetShare: 0.02, longWindowMs: HOUR },
  { name: "page-slow", severity: "page", budgetShare: 0.05, longWindowMs: 6 * HOUR },
  { name: "ticket-fast", severity: "ticket", budgetShare: 0.1, longWindowMs: DAY },
  { name: "ticket-slow", severity: "ticket", budgetShare: 0.1, longWindowMs: 3 * DAY },
];

/** Steps that scaled alert windows round to. */
export const NICE_DURATIONS_MS: readonly number[] = [
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  3 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

/** Rounds a duration to the nearest {@link NICE_DURATIONS_MS} step in log scale (ties go down). */
export function niceDuration(ms: number): number {
  let best = NICE_DURATIONS_MS[0] ?? MIN;
  for (const step of NICE_DURATIONS_MS) {
    if (Math.abs(Math.log(step / ms)) < Math.abs(Math.log(best / ms))) best = step;
  }
  return best;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * Default minimum events in the long window: the smallest count at which a single bad event
 * alone can no longer reach the line's threshold, floor(1 / (burnRate · (1 − objective))) + 1.
 * For a 99.9% SLO that is 70 for burn 14.4 and 1001 for burn 1.
 */
export function defaultMinEvents(burnRate: number, objective: number): number {
  const threshold = burnRate * (1 - objective);
  if (!(threshold > 0)) return 0;
  return Math.floor(1 / threshold + 1e-9) + 1;
}

/**
 * The Workbook's four lines scaled to an SLO window of `windowMs` (see the module comment).
 * For 30 days it returns exactly the Workbook table.
 */
export function defaultAlertLines(windowMs: number, objective: number): AlertLine[] {
  return WORKBOOK_LINES.map((line) => {
    const longWindowMs = niceDuration((line.longWindowMs * windowMs) / REFERENCE_WINDOW_MS);
    const shortWindowMs = niceDuration(longWindowMs / 12);
    const burnRate = round4((line.budgetShare * windowMs) / longWindowMs);
    return {
      name: line.name,
      severity: line.severity,
      burnRate,
      longWindowMs,
      shortWindowMs,
      enabled: true,
      minEvents: defaultMinEvents(burnRate, objective),
    };
  });
}

/** The "default" policy for an SLO window: {@link defaultAlertLines} and the default no-data delay. */
export function defaultAlertPolicy(window: SloWindow, objective: number): AlertPolicy {
  return {
    name: "default",
    lines: defaultAlertLines(nominalWindowMs(window), objective),
    missingDataAfterMs: DEFAULT_MISSING_DATA_AFTER_MS,
  };
}

/** Fields of one alert line that a policy or an SLO may override; absent fields are inherited. */
export interface AlertLineOverride {
  readonly severity?: Severity;
  readonly burnRate?: number;
  readonly longWindowMs?: number;
  readonly shortWindowMs?: number;
  readonly enabled?: boolean;
  readonly minEvents?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Applies overrides by line name on top of `base`. A line missing from `base` is added when the
 * override gives severity, burnRate, longWindowMs and shortWindowMs; the names of incomplete new
 * lines are returned in `incomplete`. minEvents follows the burn rate unless set explicitly.
 */
export function applyLineOverrides(
  base: readonly AlertLine[],
  overrides: Readonly<Record<string, AlertLineOverride>>,
  objective: number,
): { readonly lines: AlertLine[]; readonly incomplete: string[] } {
  const lines: AlertLine[] = [];
  const incomplete: string[] = [];
  const seen = new Set<string>();
  for (const line of base) {
    seen.add(line.name);
    const o = overrides[line.name];
    lines.push(o === undefined ? line : mergeLine(line, o, objective));
  }
  for (const [name, o] of Object.entries(overrides)) {
    if (seen.has(name)) continue;
    const { severity, burnRate, longWindowMs, shortWindowMs } = o;
    if (
      severity === undefined ||
      burnRate === undefined ||
      longWindowMs === undefined ||
      shortWindowMs === undefined
    ) {
      incomplete.push(name);
      continue;
    }
    const line: AlertLine = {
      name,
      severity,
      burnRate,
      longWindowMs,
      shortWindowMs,
      enabled: o.enabled ?? true,
      minEvents: o.minEvents ?? defaultMinEvents(burnRate, objective),
    };
    lines.push(withExtras(line, o.labels, o.annotations));
  }
  return { lines, incomplete };
}

function mergeLine(line: AlertLine, o: AlertLineOverride, objective: number): AlertLine {
  const burnRate = o.burnRate ?? line.burnRate;
  const minEventsFollowsBurn = line.minEvents === defaultMinEvents(line.burnRate, objective);
  const merged: AlertLine = {
    name: line.name,
    severity: o.severity ?? line.severity,
    burnRate,
    longWindowMs: o.longWindowMs ?? line.longWindowMs,
    shortWindowMs: o.shortWindowMs ?? line.shortWindowMs,
    enabled: o.enabled ?? line.enabled,
    minEvents: o.minEvents ?? (minEventsFollowsBurn ? defaultMinEvents(burnRate, objective) : line.minEvents),
  };
  return withExtras(merged, mergeMaps(line.labels, o.labels), mergeMaps(line.annotations, o.annotations));
}

function mergeMaps(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...a, ...b };
}

function withExtras(
  line: AlertLine,
  labels: Readonly<Record<string, string>> | undefined,
  annotations: Readonly<Record<string, string>> | undefined,
): AlertLine {
  return {
    ...line,
    ...(labels !== undefined && Object.keys(labels).length > 0 ? { labels } : {}),
    ...(annotations !== undefined && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}
