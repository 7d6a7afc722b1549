import type { Slo } from "../../slo/model.js";
import { type CompileRulesOptions, resolveCompileOptions } from "../rules/compile-options.js";
import type { GrafanaDashboard } from "./grafana-types.js";
import { SLO_PANELS_HEIGHT, sloPanels } from "./slo-panels.js";

/** Grafana's dashboard schema version nines writes (Grafana 10.4 / 11). */
export const GRAFANA_SCHEMA_VERSION = 39;

/** Stable dashboard uid of a service: `nines-` + slug, at most 40 characters (Grafana's limit). */
export function dashboardUid(service: string): string {
  return `nines-${service.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 40);
}

/**
 * Link to an SLO's service dashboard, for `compileRules(slos, { dashboardUrl: (slo) =>
 * grafanaDashboardUrl("https://grafana.example.com", slo.service) })`.
 */
export function grafanaDashboardUrl(grafanaBaseUrl: string, service: string): string {
  return `${grafanaBaseUrl.replace(/\/+$/, "")}/d/${dashboardUid(service)}`;
}

export interface ServiceDashboard {
  readonly service: string;
  readonly uid: string;
  readonly dashboard: GrafanaDashboard;
}

/**
 * One Grafana dashboard per service, built on the series recorded by {@link compileRules}
 * (the same `baseWindowMs` must be passed to both). SLOs without a Prometheus source are left out
 * because no rules record their series.
 *
 * @example for (const d of serviceDashboards(slos)) writeFileSync(`${d.uid}.json`, JSON.stringify(d.dashboard, null, 2));
 */
export function serviceDashboards(
  slos: readonly Slo[],
  opts: CompileRulesOptions = {},
): readonly ServiceDashboard[] {
  const resolved = resolveCompileOptions(opts);
  const byService = new Map<string, Slo[]>();
  for (const slo of slos) {
    if (slo.source.kind !== "prometheus") continue;
    byService.set(slo.service, [...(byService.get(slo.service) ?? []), slo]);
  }
  return [...byService].map(([service, serviceSlos]) => {
    let id = 0;
    const nextId = () => ++id;
    const panels = serviceSlos.flatMap((slo, i) => sloPanels(slo, i * SLO_PANELS_HEIGHT, nextId, resolved));
    const uid = dashboardUid(service);
    const dashboard: GrafanaDashboard = {
      uid,
      title: `SLOs / ${service}`,
      tags: ["nines", "slo"],
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      version: 1,
      editable: true,
      time: { from: "now-7d", to: "now" },
      refresh: "1m",
      timezone: "browser",
      templating: {
        list: [
          {
            name: "datasource",
            label: "Prometheus",
            type: "datasource",
            query: "prometheus",
            current: {},
            hide: 0,
            refresh: 1,
            options: [],
          },
        ],
      },
      annotations: {
        list: [
          {
            builtIn: 1,
            datasource: { type: "grafana", uid: "-- Grafana --" },
            enable: true,
            hide: true,
            iconColor: "rgba(0, 211, 255, 1)",
            name: "Annotations & Alerts",
            type: "dashboard",
          },
        ],
      },
      panels,
    };
    return { service, uid, dashboard };
  });
}
