/** OpenSLO time windows and budgeting methods. */
import type { Budgeting, SloWindow } from "../model.js";
import { checkTimeZone } from "./checks.js";
import type { Path } from "./diagnostic.js";
import type { OpenSloObjective, OpenSloSlo } from "./openslo-schema.js";
import type { SliResult } from "./openslo-sli.js";
import type { Reporter } from "./spec-document.js";

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function readTimeWindow(spec: OpenSloSlo["spec"], r: Reporter): SloWindow | undefined {
  if (spec.timeWindow.length > 1) {
    r.error(
      ["spec", "timeWindow", 1],
      "an SLO has exactly one time window",
      "split it into one SLO per window",
    );
    return undefined;
  }
  const tw = spec.timeWindow[0]!;
  const path: Path = ["spec", "timeWindow", 0];
  const m = /^([0-9]+)([mhdwMQY])$/.exec(tw.duration);
  if (m === null) {
    r.error([...path, "duration"], `"${tw.duration}" is not an OpenSLO duration`, "e.g. 28d, 4w, 1M");
    return undefined;
  }
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  if (tw.isRolling) {
    if (tw.calendar !== undefined)
      r.warning([...path, "calendar"], "calendar is ignored for a rolling window");
    const size = UNIT_MS[unit];
    if (size === undefined) {
      r.error(
        [...path, "duration"],
        `a rolling window of ${tw.duration} has no fixed length`,
        "use days, e.g. 30d, or isRolling: false for a calendar month",
      );
      return undefined;
    }
    return { kind: "rolling", lengthMs: n * size };
  }
  const calendarUnit =
    n === 1 ? ({ w: "week", M: "month", Q: "quarter" } as const)[unit as "w" | "M" | "Q"] : undefined;
  if (calendarUnit === undefined) {
    r.error(
      [...path, "duration"],
      `calendar window ${tw.duration} is not supported`,
      "nines has calendar windows of 1w, 1M and 1Q",
    );
    return undefined;
  }
  const timeZone = tw.calendar?.timeZone ?? "UTC";
  if (!checkTimeZone(timeZone, r, [...path, "calendar", "timeZone"])) return undefined;
  if (tw.calendar?.startTime !== undefined)
    r.warning(
      [...path, "calendar", "startTime"],
      "startTime is not used: nines periods start at the calendar boundary (Monday, the 1st, the quarter) in the time zone",
    );
  return { kind: "calendar", unit: calendarUnit, timeZone };
}

function readSliceWindow(value: string | number, r: Reporter, path: Path): number | undefined {
  if (typeof value === "number") return value > 0 ? value * 1000 : undefined;
  const m = /^([0-9]+)([smhd])$/.exec(value);
  if (m === null) {
    r.error(path, `"${value}" is not a time slice length`, "e.g. 1m or 5m");
    return undefined;
  }
  return (
    Number(m[1]) *
    ({ s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const)[m[2] as "s" | "m" | "h" | "d"]
  );
}

export function readBudgeting(
  method: string,
  objective: OpenSloObjective,
  result: SliResult,
  r: Reporter,
  path: Path,
): Budgeting | undefined {
  if (method === "Occurrences") {
    if (result.quantile !== undefined) {
      r.error(
        path,
        "a threshold metric needs budgetingMethod: Timeslices",
        "each slice is good when the quantile is within the threshold",
      );
      return undefined;
    }
    for (const field of ["timeSliceTarget", "timeSliceWindow"] as const)
      if (objective[field] !== undefined) {
        r.error([...path, field], `${field} applies only to budgetingMethod: Timeslices`);
        return undefined;
      }
    return { method: "occurrences" };
  }
  if (objective.timeSliceWindow === undefined) {
    r.error(path, "Timeslices needs timeSliceWindow", "e.g. timeSliceWindow: 1m");
    return undefined;
  }
  const sliceMs = readSliceWindow(objective.timeSliceWindow, r, [...path, "timeSliceWindow"]);
  if (sliceMs === undefined) return undefined;
  if (result.quantile !== undefined) {
    if (objective.timeSliceTarget !== undefined) {
      r.error(
        [...path, "timeSliceTarget"],
        "timeSliceTarget does not apply to a threshold metric: the quantile sets the slice target",
      );
      return undefined;
    }
    return { method: "timeslices", sliceMs, sliceTarget: result.quantile };
  }
  const t = objective.timeSliceTarget;
  if (t === undefined || !(t > 0 && t <= 1)) {
    r.error(
      [...path, "timeSliceTarget"],
      "Timeslices with a ratio metric needs timeSliceTarget between 0 and 1",
      "e.g. 0.95: a slice is good when 95% of its events are",
    );
    return undefined;
  }
  return { method: "timeslices", sliceMs, sliceTarget: t };
}
