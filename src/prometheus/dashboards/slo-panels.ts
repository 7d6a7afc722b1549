import type { Slo } from "../../slo/model.js";
import { formatPromDuration } from "../prom-duration.js";
import { labelSelector, promNumber } from "../promql-text.js";
import type { ResolvedCompileOptions } from "../rules/compile-options.js";
import { ruleNames } from "../rules/rule-names.js";
import { sloWindowMs } from "../rules/slo-windows.js";
import type { GrafanaDatasourceRef, GrafanaPanel, GrafanaTarget } from "./grafana-types.js";

/** Grafana's `${datasource}` variable syntax, written so it is not mistaken for a template literal. */
export const DATASOURCE_VAR = `$${"{datasource}"}`;
export const DATASOURCE: GrafanaDatasourceRef = { type: "prometheus", uid: DATASOURCE_VAR };

const target = (refId: string, expr: string, legendFormat: string): GrafanaTarget => ({
  refId,
  expr,
  legendFormat,
  datasource: DATASOURCE,
});

const percentUnit = (min?: number, max?: number) => ({
  defaults: {
    unit: "percentunit",
    decimals: 3,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  },
  overrides: [],
});

/**
 * The panels of one SLO, read from the recorded series only (never raw counters): objective and
 * budget remaining as stats, the SLI over the base and the SLO window against the objective, the
 * burn rate of every alert window with each line's factor as a threshold, and budget remaining
 * over time. `y` is where the SLO's row starts; `nextId` hands out panel ids.
 */
export function sloPanels(
  slo: Slo,
  y: number,
  nextId: () => number,
  opts: ResolvedCompileOptions,
): GrafanaPanel[] {
  const sel = labelSelector({ nines_slo: slo.id });
  const budget = promNumber(1 - slo.objective);
  const lines = slo.alerting.lines.filter((l) => l.enabled);
  const alertWindows = [...new Set(lines.flatMap((l) => [l.shortWindowMs, l.longWindowMs]))].sort(
    (a, b) => a - b,
  );
  const windowText = formatPromDuration(sloWindowMs(slo.window));
  const steps = [
    { color: "green", value: null },
    ...[...new Set(lines.map((l) => l.burnRate))]
      .sort((a, b) => a - b)
      .map((f, i) => ({
        color: i === 0 ? "orange" : "red",
        value: f,
      })),
  ];
  return [
    {
      id: nextId(),
      type: "row",
      title: `${slo.id} — ${promNumber(slo.objective * 100)}% over ${windowText}`,
      gridPos: { x: 0, y, w: 24, h: 1 },
      collapsed: false,
      panels: [],
    },
    {
      id: nextId(),
      type: "stat",
      title: "Objective",
      gridPos: { x: 0, y: y + 1, w: 4, h: 4 },
      datasource: DATASOURCE,
      targets: [target("A", `${ruleNames.objective}${sel}`, "objective")],
      fieldConfig: percentUnit(),
      options: { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "none" },
    },
    {
      id: nextId(),
      type: "stat",
      title: `Error budget remaining (${windowText})`,
      gridPos: { x: 0, y: y + 5, w: 4, h: 4 },
      datasource: DATASOURCE,
      targets: [target("A", `${ruleNames.budgetRemaining}${sel}`, "remaining")],
      fieldConfig: {
        defaults: {
          unit: "percentunit",
          decimals: 1,
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "red", value: null },
              { color: "orange", value: 0 },
              { color: "green", value: 0.25 },
            ],
          },
        },
        overrides: [],
      },
      options: {
        reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
        colorMode: "background",
      },
    },
    {
      id: nextId(),
      type: "timeseries",
      title: "SLI (good / total)",
      description: slo.description,
      gridPos: { x: 4, y: y + 1, w: 10, h: 8 },
      datasource: DATASOURCE,
      targets: [
        target(
          "A",
          `1 - ${ruleNames.errorRatio(opts.baseWindowMs)}${sel}`,
          `SLI ${formatPromDuration(opts.baseWindowMs)}`,
        ),
        target("B", `1 - ${ruleNames.errorRatio(sloWindowMs(slo.window))}${sel}`, `SLI ${windowText}`),
        target("C", `${ruleNames.objective}${sel}`, "objective"),
      ],
      fieldConfig: percentUnit(undefined, 1),
      options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
    },
    {
      id: nextId(),
      type: "timeseries",
      title: "Burn rate per window (x budget)",
      gridPos: { x: 14, y: y + 1, w: 10, h: 8 },
      datasource: DATASOURCE,
      targets: alertWindows.map((w, i) =>
        target(
          String.fromCharCode(65 + i),
          `${ruleNames.errorRatio(w)}${sel} / ${budget}`,
          `burn ${formatPromDuration(w)}`,
        ),
      ),
      fieldConfig: {
        defaults: {
          unit: "x",
          min: 0,
          custom: { thresholdsStyle: { mode: "line+area" } },
          thresholds: { mode: "absolute", steps },
        },
        overrides: [],
      },
      options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
    },
    {
      id: nextId(),
      type: "timeseries",
      title: `Error budget remaining over ${windowText}`,
      gridPos: { x: 0, y: y + 9, w: 24, h: 6 },
      datasource: DATASOURCE,
      targets: [target("A", `${ruleNames.budgetRemaining}${sel}`, "remaining")],
      fieldConfig: percentUnit(),
      options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "single" } },
    },
  ];
}

/** Height, in grid rows, of one SLO's panels. */
export const SLO_PANELS_HEIGHT = 15;
