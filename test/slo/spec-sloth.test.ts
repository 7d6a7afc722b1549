import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpecFiles } from "../../src/slo/spec/index.js";
import { errorsOf, parseText, yamlOf } from "./spec-helpers.js";

function read(path: string) {
  return parseSpecFiles([{ path, text: readFileSync(path, "utf8") }], { prometheusUrl: "http://prom:9090" });
}

function slothFile(slo: Record<string, unknown>) {
  return {
    version: "prometheus/v1",
    service: "myservice",
    slos: [
      {
        name: "requests-availability",
        objective: 99.9,
        sli: {
          events: {
            error_query: "sum(rate(errors[{{.window}}]))",
            total_query: "sum(rate(total[{{.window}}]))",
          },
        },
        ...slo,
      },
    ],
  };
}

describe("Sloth import", () => {
  it("imports prometheus/v1 files: 30-day window, bad-event ratio, labels and per-severity alert labels", () => {
    const r = read("examples/slos/sloth/myservice.yaml");
    expect(r.diagnostics).toEqual([]);
    const slo = r.slos[0]!;
    expect(slo).toMatchObject({
      id: "myservice/requests-availability",
      objective: 0.999,
      team: "myteam",
      sli: { kind: "ratio", count: "bad" },
      window: { kind: "rolling", lengthMs: 30 * 86_400_000 },
      labels: { owner: "myteam", category: "availability" },
      alerting: { alertName: "MyServiceHighErrorRate" },
    });
    const pageFast = slo.alerting.lines[0]!;
    expect(pageFast.labels).toMatchObject({ severity: "pageteam", category: "availability" });
    expect(slo.alerting.lines[3]!.labels).toMatchObject({ severity: "slack" });
    expect(slo.source.kind === "prometheus" && slo.source.eventsQuery).toContain("[{{window}}]");
    expect(slo.source.kind === "prometheus" && slo.source.eventsQuery).not.toContain("{{.window}}");
  });

  it("imports PrometheusServiceLevel resources and disables the page lines when pageAlert.disable is set", () => {
    const r = read("examples/slos/sloth/k8s-servicelevel.yaml");
    expect(errorsOf(r)).toEqual([]);
    const slo = r.slos[0]!;
    expect(slo.id).toBe("home-wifi/good-wifi-client-satisfaction");
    expect(slo.alerting.lines.map((l) => [l.severity, l.enabled])).toEqual([
      ["page", false],
      ["page", false],
      ["ticket", true],
      ["ticket", true],
    ]);
  });

  it("refuses raw error-ratio SLIs and plugins, naming the field", () => {
    const raw = slothFile({ sli: { raw: { error_ratio_query: "x" } } });
    expect(errorsOf(parseText(yamlOf(raw))).map((e) => e.path)).toEqual(["slos[0].sli.raw"]);
    const plugin = slothFile({ sli: { plugin: { id: "sloth-common/availability" } } });
    expect(errorsOf(parseText(yamlOf(plugin))).map((e) => e.path)).toEqual(["slos[0].sli.plugin"]);
  });

  it("suggests the camelCase field in a Kubernetes resource written with snake_case", () => {
    const doc = {
      apiVersion: "sloth.slok.dev/v1",
      kind: "PrometheusServiceLevel",
      metadata: { name: "x" },
      spec: {
        service: "svc",
        slos: [
          {
            name: "a",
            objective: 99,
            sli: { events: { error_query: "e[{{.window}}]", totalQuery: "t[{{.window}}]" } },
          },
        ],
      },
    };
    const errors = errorsOf(parseText(yamlOf(doc)));
    expect(errors.find((e) => e.path === "spec.slos[0].sli.events.error_query")?.hint).toBe(
      'did you mean "errorQuery"?',
    );
  });

  it("refuses a Sloth objective of 100", () => {
    const [error] = errorsOf(parseText(yamlOf(slothFile({ objective: 100 }))));
    expect(error).toMatchObject({ path: "slos[0].objective" });
  });

  it("refuses a query without {{.window}}", () => {
    const doc = slothFile({
      sli: { events: { error_query: "sum(errors)", total_query: "sum(rate(total[{{.window}}]))" } },
    });
    expect(errorsOf(parseText(yamlOf(doc))).map((e) => e.path)).toEqual(["slos[0].sli.events.error_query"]);
  });
});
