import type { AlertLine, Slo } from "../../../src/slo/model.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * The SRE Workbook's four lines ("Alerting on SLOs", table 5-8) for a 30-day window, with the
 * factors scaled to other windows so that each line still spends the same share of the budget.
 */
export function workbookLines(windowMs = 30 * DAY): readonly AlertLine[] {
  const scale = windowMs / (30 * DAY);
  const line = (name: string, severity: "page" | "ticket", factor: number, long: number, short: number) => ({
    name,
    severity,
    burnRate: factor * scale,
    longWindowMs: long,
    shortWindowMs: short,
    enabled: true,
    minEvents: 0,
  });
  return [
    line("page-fast", "page", 14.4, HOUR, 5 * MIN),
    line("page-slow", "page", 6, 6 * HOUR, 30 * MIN),
    line("ticket-fast", "ticket", 3, DAY, 2 * HOUR),
    line("ticket-slow", "ticket", 1, 3 * DAY, 6 * HOUR),
  ];
}

/** A Prometheus-sourced availability SLO (bad = 5xx) over 30 days; override any field. */
export function makeSlo(overrides: Partial<Slo> = {}): Slo {
  const service = overrides.service ?? "api";
  const name = overrides.name ?? "availability";
  const windowMs = overrides.window?.kind === "rolling" ? overrides.window.lengthMs : 30 * DAY;
  return {
    id: `${service}/${name}`,
    service,
    name,
    description: "Requests answered without a 5xx",
    team: "platform",
    labels: { env: "prod", owner: "platform" },
    sli: { kind: "ratio", count: "bad" },
    source: {
      kind: "prometheus",
      url: "http://127.0.0.1:9090",
      eventsQuery: 'increase(http_requests_total{job="api",code=~"5.."}[{{window}}])',
      totalQuery: 'increase(http_requests_total{job="api"}[{{window}}])',
      headers: {},
    },
    objective: 0.999,
    window: { kind: "rolling", lengthMs: windowMs },
    budgeting: { method: "occurrences" },
    alerting: { name: "default", lines: workbookLines(windowMs), missingDataAfterMs: 10 * MIN },
    annotations: { runbook: "https://runbooks.example.com/api-availability" },
    ...overrides,
  };
}

export const TIME = { MIN, HOUR, DAY } as const;
