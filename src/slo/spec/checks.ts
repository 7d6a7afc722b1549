/** Checks shared by the native, OpenSLO and Sloth readers; each reports at the caller's paths. */
import { fullOutageBudgetMs } from "../budget.js";
import { formatDuration, formatDurationHuman } from "../duration.js";
import type { AlertLine } from "../model.js";
import type { Path } from "./diagnostic.js";
import type { Reporter } from "./spec-document.js";

/** Below this much full outage per window nobody can react before the budget is gone. */
export const MIN_USEFUL_OUTAGE_BUDGET_MS = 5 * 60_000;

function round12(x: number): number {
  return Number(x.toPrecision(12));
}

/** Percent → fraction without float noise (99.9 → 0.999). */
export function percentToFraction(percent: number): number {
  return round12(percent / 100);
}

/** Fraction → percent without float noise (0.999 → 99.9). */
export function fractionToPercent(fraction: number): number {
  return round12(fraction * 100);
}

/**
 * Validates an objective given in percent; returns the fraction or undefined after reporting.
 * 100% is refused: it leaves no error budget, so every failure is a violation and nothing can
 * ever be changed safely (SRE book ch. 1 and ch. 3, "Embracing Risk").
 */
export function checkTargetPercent(percent: number, r: Reporter, path: Path): number | undefined {
  if (!Number.isFinite(percent)) {
    r.error(path, `target must be a number, got ${percent}`);
    return undefined;
  }
  if (percent >= 100) {
    r.error(
      path,
      `target ${percent}% leaves no error budget: every single failure would violate the SLO, so no change could ever be released safely and users cannot tell 100% from 99.99% anyway`,
      '100% is the wrong target (SRE book ch. 1 and 3, "Embracing Risk"); pick the lowest target users are happy with, e.g. 99.9',
    );
    return undefined;
  }
  if (percent <= 0) {
    r.error(path, `target must be above 0%, got ${percent}%`, "write the target in percent, e.g. 99.9");
    return undefined;
  }
  if (percent < 1)
    r.warning(
      path,
      `target ${percent}% is below 1%: the target is in percent, not a fraction`,
      `did you mean ${fractionToPercent(percent)}?`,
    );
  return percentToFraction(percent);
}

/** Reports an invalid IANA time zone. */
export function checkTimeZone(timeZone: string, r: Reporter, path: Path): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    r.error(path, `unknown time zone "${timeZone}"`, 'use an IANA name such as "UTC" or "Europe/Berlin"');
    return false;
  }
}

/** Where to point for a problem with one field of one alert line. */
export type LinePathOf = (line: string, field?: string) => Path;

/**
 * Validates resolved alert lines against the SLO. Lines that can never fire are errors, or,
 * with `disableNeverFiring` (imports), disabled with a warning.
 */
export function checkAlertLines(
  lines: readonly AlertLine[],
  objective: number,
  windowMs: number,
  r: Reporter,
  pathOf: LinePathOf,
  disableNeverFiring = false,
): AlertLine[] {
  const out: AlertLine[] = [];
  const budget = 1 - objective;
  for (const line of lines) {
    let result = line;
    if (line.longWindowMs > windowMs)
      r.error(
        pathOf(line.name, "longWindow"),
        `alert line "${line.name}" looks back ${formatDuration(line.longWindowMs)}, longer than the ${formatDuration(windowMs)} SLO window`,
        `set longWindow to at most ${formatDuration(windowMs)}`,
      );
    if (line.shortWindowMs >= line.longWindowMs)
      r.error(
        pathOf(line.name, "shortWindow"),
        `alert line "${line.name}": shortWindow ${formatDuration(line.shortWindowMs)} is not shorter than longWindow ${formatDuration(line.longWindowMs)}`,
        `the Workbook uses a short window of 1/12 of the long one, here ${formatDuration(Math.round(line.longWindowMs / 12))}`,
      );
    const threshold = line.burnRate * budget;
    if (line.enabled && threshold > 1 + 1e-12) {
      const message = `alert line "${line.name}" can never fire: burn rate ${line.burnRate} × error budget ${fractionToPercent(budget)}% needs an error rate of ${fractionToPercent(threshold)}%, more than 100%`;
      const hint = `lower its burnRate to at most ${Number((1 / budget).toPrecision(4))} or set enabled: false`;
      if (disableNeverFiring) {
        r.warning(pathOf(line.name, "burnRate"), `${message}; imported disabled`, hint);
        result = { ...line, enabled: false };
      } else {
        r.error(pathOf(line.name, "burnRate"), message, hint);
      }
    }
    out.push(result);
  }
  return out;
}

/** Warnings about an otherwise valid SLO. */
export function checkSloWarnings(
  objective: number,
  windowMs: number,
  lines: readonly AlertLine[],
  r: Reporter,
  targetPath: Path,
  alertingPath: Path,
): void {
  const outage = fullOutageBudgetMs(objective, windowMs);
  if (outage < MIN_USEFUL_OUTAGE_BUDGET_MS)
    r.warning(
      targetPath,
      `target ${fractionToPercent(objective)}% allows only ${formatDurationHuman(outage)} of full outage per ${formatDuration(windowMs)} window: the budget is gone before anyone can respond to a page`,
      "lower the target or lengthen the window unless this is deliberate",
    );
  if (lines.length > 0 && lines.every((l) => !l.enabled))
    r.warning(
      alertingPath,
      "every alert line is disabled: budget burn will not alert anyone",
      "enable at least one page line",
    );
  else if (lines.length === 0)
    r.warning(alertingPath, "the alert policy has no lines: budget burn will not alert anyone");
}
