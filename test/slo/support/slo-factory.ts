import type { AlertLine, Slo } from "../../../src/slo/model.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The SRE Workbook's default multi-window, multi-burn-rate lines for a 30-day SLO ("Alerting on SLOs", table 5-8). */
export function workbookLines(minEvents = 0): AlertLine[] {
  const line = (
    name: string,
    severity: "page" | "ticket",
    burnRate: number,
    longWindowMs: number,
    shortWindowMs: number,
  ) => ({
    name,
    severity,
    burnRate,
    longWindowMs,
    shortWindowMs,
    enabled: true,
    minEvents,
  });
  return [
    line("page-fast", "page", 14.4, HOUR, 5 * MINUTE),
    line("page-slow", "page", 6, 6 * HOUR, 30 * MINUTE),
    line("ticket-fast", "ticket", 3, DAY, 2 * HOUR),
    line("ticket-slow", "ticket", 1, 3 * DAY, 6 * HOUR),
  ];
}

/** A 99.9% / 30-day rolling ratio SLO with the Workbook's default lines; override any field. */
export function makeSlo(overrides: Partial<Slo> = {}): Slo {
  const id = overrides.id ?? "checkout/availability";
  return {
    id,
    service: id.split("/")[0] ?? "checkout",
    name: id.split("/")[1] ?? "availability",
    description: "",
    team: "payments",
    labels: {},
    sli: { kind: "ratio", count: "good" },
    source: { kind: "push" },
    objective: 0.999,
    window: { kind: "rolling", lengthMs: 30 * DAY },
    budgeting: { method: "occurrences" },
    alerting: { name: "default", lines: workbookLines(), missingDataAfterMs: 10 * MINUTE },
    annotations: {},
    ...overrides,
  };
}

export const TIME = { MINUTE, HOUR, DAY } as const;
