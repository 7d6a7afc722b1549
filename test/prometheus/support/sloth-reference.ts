import { parse } from "yaml";
import type { Slo } from "../../../src/slo/model.js";
import { makeSlo, TIME, workbookLines } from "./slo-factory.js";

/** One window pair of Sloth's default catalog (sloth.dev, "SLO period windows": Google 30d/28d). */
export interface SlothWindow {
  readonly severity: "page" | "ticket";
  readonly errorBudgetPercent: number;
  readonly shortWindowMs: number;
  readonly longWindowMs: number;
}

const H = TIME.HOUR;
export const SLOTH_DEFAULT_WINDOWS: readonly SlothWindow[] = [
  { severity: "page", errorBudgetPercent: 2, shortWindowMs: 5 * TIME.MIN, longWindowMs: H },
  { severity: "page", errorBudgetPercent: 5, shortWindowMs: 30 * TIME.MIN, longWindowMs: 6 * H },
  { severity: "ticket", errorBudgetPercent: 10, shortWindowMs: 2 * H, longWindowMs: TIME.DAY },
  { severity: "ticket", errorBudgetPercent: 10, shortWindowMs: 6 * H, longWindowMs: 3 * TIME.DAY },
];

export interface SlothCondition {
  readonly severity: "page" | "ticket";
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  /** Sloth's `(factor * errorBudgetRatio)` threshold. */
  readonly factor: number;
  readonly errorBudgetRatio: number;
}

interface SlothSpec {
  service: string;
  labels?: Record<string, string>;
  slos: {
    name: string;
    objective: number;
    description?: string;
    sli: { events: { error_query: string; total_query: string } };
    alerting: { page_alert?: { disable?: boolean }; ticket_alert?: { disable?: boolean } };
  }[];
}

/**
 * Sloth's algorithm: burn factor = errorBudgetPercent / 100 × period / longWindow, threshold
 * `factor × (100 − objective) / 100`, both windows of a pair compared against the same value.
 */
export function slothConditions(
  objectivePercent: number,
  periodMs: number,
  pageOn: boolean,
  ticketOn: boolean,
) {
  return SLOTH_DEFAULT_WINDOWS.filter((w) => (w.severity === "page" ? pageOn : ticketOn)).map(
    (w): SlothCondition => ({
      severity: w.severity,
      longWindowMs: w.longWindowMs,
      shortWindowMs: w.shortWindowMs,
      factor: (w.errorBudgetPercent / 100) * (periodMs / w.longWindowMs),
      errorBudgetRatio: (100 - objectivePercent) / 100,
    }),
  );
}

/**
 * Reads a Sloth prometheus/v1 file into nines SLOs (a minimal reader for this test; the real
 * parser lives in src/slo) together with what Sloth would generate for each.
 */
export function readSlothFile(text: string, periodMs: number) {
  const spec = parse(text) as SlothSpec;
  return spec.slos.map((s) => {
    const pageOn = s.alerting.page_alert?.disable !== true;
    const ticketOn = s.alerting.ticket_alert?.disable !== true;
    const slo: Slo = makeSlo({
      service: spec.service,
      name: s.name,
      id: `${spec.service}/${s.name}`,
      description: s.description ?? "",
      labels: spec.labels ?? {},
      objective: s.objective / 100,
      window: { kind: "rolling", lengthMs: periodMs },
      sli: { kind: "ratio", count: "bad" },
      source: {
        kind: "prometheus",
        url: "",
        headers: {},
        eventsQuery: s.sli.events.error_query.replaceAll("{{.window}}", "{{window}}"),
        totalQuery: s.sli.events.total_query.replaceAll("{{.window}}", "{{window}}"),
      },
      alerting: {
        name: "default",
        missingDataAfterMs: 0,
        lines: workbookLines(periodMs).map((l) => ({
          ...l,
          enabled: l.severity === "page" ? pageOn : ticketOn,
        })),
      },
    });
    return { slo, sloth: slothConditions(s.objective, periodMs, pageOn, ticketOn) };
  });
}
