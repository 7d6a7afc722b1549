import { describe, expect, it } from "vitest";
import type { GrafanaPanel } from "../../src/prometheus/dashboards/grafana-types.js";
import {
  grafanaDashboardUrl,
  serviceDashboards,
} from "../../src/prometheus/dashboards/service-dashboards.js";
import { DATASOURCE_VAR } from "../../src/prometheus/dashboards/slo-panels.js";
import { compileRules } from "../../src/prometheus/rules/compile-rules.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";

const slos = [
  makeSlo(),
  makeSlo({ name: "latency", objective: 0.99 }),
  makeSlo({
    service: "checkout",
    name: "availability",
    window: { kind: "rolling", lengthMs: 28 * TIME.DAY },
  }),
  makeSlo({ service: "pushed", name: "x", source: { kind: "push" } }),
];
const dashboards = serviceDashboards(slos);
const panelsOf = (uid: string): readonly GrafanaPanel[] =>
  dashboards.find((d) => d.uid === uid)?.dashboard.panels ?? [];

describe("service dashboards", () => {
  it("writes one dashboard per service with a Prometheus source", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(["nines-api", "nines-checkout"]);
  });

  it("uses Grafana's datasource variable syntax literally", () => {
    expect(DATASOURCE_VAR).toBe(["$", "{datasource}"].join(""));
  });

  it("follows Grafana's schema version 39 with a Prometheus datasource variable used by every query panel", () => {
    for (const { dashboard } of dashboards) {
      expect(dashboard.schemaVersion).toBe(39);
      expect(dashboard.templating.list).toContainEqual(
        expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }),
      );
      for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
        expect(panel.datasource).toEqual({ type: "prometheus", uid: DATASOURCE_VAR });
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const t of panel.targets ?? []) expect(t.datasource.uid).toBe(DATASOURCE_VAR);
      }
    }
  });

  it("gives panels unique ids and non-overlapping positions inside the 24-column grid", () => {
    for (const { dashboard } of dashboards) {
      const ids = dashboard.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const { gridPos: g } of dashboard.panels) {
        expect(g.x + g.w).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            const key = `${x},${y}`;
            expect(cells.has(key), key).toBe(false);
            cells.add(key);
          }
        }
      }
    }
  });

  it("queries only series that the compiled recording rules produce", () => {
    const recorded = new Set(
      compileRules(slos).groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))),
    );
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels) {
        for (const t of panel.targets ?? []) {
          const names = t.expr.match(/nines:[a-z_]+:[a-z0-9_]+/g) ?? [];
          expect(names.length, t.expr).toBeGreaterThan(0);
          for (const name of names) expect(recorded, name).toContain(name);
        }
      }
    }
  });

  it("draws one burn-rate series per alert window, with the line factors 14.4 / 6 / 3 / 1 as thresholds", () => {
    const burn = panelsOf("nines-api").find((p) => p.title.startsWith("Burn rate"));
    expect(burn?.targets?.map((t) => t.legendFormat)).toEqual([
      "burn 5m",
      "burn 30m",
      "burn 1h",
      "burn 2h",
      "burn 6h",
      "burn 1d",
      "burn 3d",
    ]);
    type Config = { defaults: { thresholds: { steps: { value: number | null }[] } } };
    const steps = (burn!.fieldConfig as Config).defaults.thresholds.steps;
    expect(steps.map((s) => s.value)).toEqual([
      null,
      ...workbookLines()
        .map((l) => l.burnRate)
        .sort((a, b) => a - b),
    ]);
  });

  it("links an alert to its service dashboard by uid", () => {
    expect(grafanaDashboardUrl("https://grafana.example.com/", "api")).toBe(
      "https://grafana.example.com/d/nines-api",
    );
  });

  it("survives a JSON round trip unchanged (no functions or undefined values)", () => {
    for (const { dashboard } of dashboards) expect(JSON.parse(JSON.stringify(dashboard))).toEqual(dashboard);
  });
});
