import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpecFiles } from "../../src/slo/spec/index.js";
import { errorsOf, parseText, warningsOf, yamlOf } from "./spec-helpers.js";

const DAY = 86_400_000;

function openSlo(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: "api-availability" },
) {
  return { apiVersion: "openslo/v1", kind: "SLO", metadata, spec };
}

const ratioIndicator = {
  metadata: { name: "api-success" },
  spec: {
    ratioMetric: {
      counter: true,
      good: { metricSource: { type: "Prometheus", spec: { query: 'http_requests_total{code!~"5.."}' } } },
      total: { metricSource: { type: "Prometheus", spec: { query: "http_requests_total" } } },
    },
  },
};

function ratioSlo(extra: Record<string, unknown> = {}) {
  return openSlo({
    service: "api",
    indicator: structuredClone(ratioIndicator),
    timeWindow: [{ duration: "28d", isRolling: true }],
    budgetingMethod: "Occurrences",
    objectives: [{ displayName: "good", target: 0.995 }],
    ...extra,
  });
}

describe("OpenSLO v1 import", () => {
  it("imports the example file: referenced SLI, DataSource URL, histogram threshold as latency timeslices", () => {
    const path = "examples/slos/openslo/payments.yaml";
    const r = parseSpecFiles([{ path, text: readFileSync(path, "utf8") }]);
    expect(errorsOf(r)).toEqual([]);
    const [availability, latency] = r.slos;
    expect(availability).toMatchObject({
      id: "payments/payments-availability",
      objective: 0.999,
      team: "payments",
      window: { kind: "rolling", lengthMs: 28 * DAY },
      sli: { kind: "ratio", count: "good" },
      source: { kind: "prometheus", url: "http://prometheus.monitoring:9090" },
    });
    expect(latency).toMatchObject({
      sli: { kind: "latency", thresholdSeconds: 0.5 },
      window: { kind: "calendar", unit: "month", timeZone: "UTC" },
      budgeting: { method: "timeslices", sliceMs: 60_000, sliceTarget: 0.99 },
      objective: 0.99,
    });
    expect(latency!.source.kind === "prometheus" && latency!.source.eventsQuery).toContain('le="0.5"');
  });

  it("wraps plain counter selectors in increase() over {{window}} and warns about the assumed URL", () => {
    const r = parseText(yamlOf(ratioSlo()));
    expect(errorsOf(r)).toEqual([]);
    expect(r.slos[0]!.source).toMatchObject({
      eventsQuery: 'sum(increase(http_requests_total{code!~"5.."}[{{window}}]))',
      totalQuery: "sum(increase(http_requests_total[{{window}}]))",
      url: "http://localhost:9090",
    });
    expect(warningsOf(r).some((w) => w.message.includes("localhost:9090"))).toBe(true);
  });

  it("uses the --prometheus-url option without a warning", () => {
    const r = parseSpecFiles([{ path: "a.yaml", text: yamlOf(ratioSlo()) }], {
      prometheusUrl: "http://thanos:10902",
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0]!.source).toMatchObject({ url: "http://thanos:10902" });
  });

  it("reads targetPercent and a bad-events ratio", () => {
    const doc = ratioSlo({ objectives: [{ targetPercent: 99.5 }] });
    const metric = (doc.spec.indicator as typeof ratioIndicator).spec.ratioMetric as Record<string, unknown>;
    metric.bad = metric.good;
    delete metric.good;
    const slo = parseText(yamlOf(doc)).slos[0]!;
    expect(slo.objective).toBe(0.995);
    expect(slo.sli).toEqual({ kind: "ratio", count: "bad" });
  });

  it("makes one SLO per objective", () => {
    const r = parseText(
      yamlOf(
        ratioSlo({
          objectives: [
            { displayName: "Good", target: 0.99 },
            { displayName: "Great", target: 0.999 },
          ],
        }),
      ),
    );
    expect(r.slos.map((s) => s.id)).toEqual(["api/api-availability-good", "api/api-availability-great"]);
  });

  it("refuses a target of 1 (100%) with the no-budget explanation", () => {
    const [error] = errorsOf(parseText(yamlOf(ratioSlo({ objectives: [{ target: 1 }] }))));
    expect(error).toMatchObject({ path: "spec.objectives[0].target" });
    expect(error!.message).toMatch(/no error budget/);
  });

  it.each([
    ["alertPolicies", { alertPolicies: ["x"] }, "spec.alertPolicies"],
    ["RatioTimeslices", { budgetingMethod: "RatioTimeslices" }, "spec.budgetingMethod"],
    [
      "composite objectives",
      { objectives: [{ target: 0.99, compositeWeight: 1 }] },
      "spec.objectives[0].compositeWeight",
    ],
    ["a rolling month", { timeWindow: [{ duration: "1M", isRolling: true }] }, "spec.timeWindow[0].duration"],
  ])("refuses %s, naming the field", (_name, extra, path) => {
    const errors = errorsOf(parseText(yamlOf(ratioSlo(extra)), "openslo.yaml"));
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.every((e) => e.file === "openslo.yaml")).toBe(true);
  });

  it("refuses an unknown field with a suggestion instead of dropping it", () => {
    const errors = errorsOf(parseText(yamlOf(ratioSlo({ budgetMethod: "Occurrences" }))));
    expect(errors.find((e) => e.path === "spec.budgetMethod")?.hint).toBe('did you mean "budgetingMethod"?');
  });

  it("refuses a non-Prometheus metric source", () => {
    const doc = ratioSlo();
    const metric = (doc.spec.indicator as typeof ratioIndicator).spec.ratioMetric;
    (metric.total.metricSource as Record<string, unknown>).type = "Datadog";
    expect(errorsOf(parseText(yamlOf(doc))).map((e) => e.path)).toEqual([
      "spec.indicator.spec.ratioMetric.total.metricSource.type",
    ]);
  });

  it("refuses an indicatorRef to an SLI that is not in the files", () => {
    const doc = ratioSlo({ indicator: undefined, indicatorRef: "nope" });
    delete (doc.spec as Record<string, unknown>).indicator;
    expect(errorsOf(parseText(yamlOf(doc))).map((e) => e.path)).toEqual(["spec.indicatorRef"]);
  });

  it("imports a 90% SLO with the never-firing 14.4 page disabled and a warning", () => {
    const r = parseText(yamlOf(ratioSlo({ objectives: [{ target: 0.9 }] })));
    expect(errorsOf(r)).toEqual([]);
    expect(r.slos[0]!.alerting.lines.find((l) => l.name === "page-fast")!.enabled).toBe(false);
    expect(warningsOf(r).some((w) => w.message.includes("can never fire"))).toBe(true);
  });

  it("refuses OpenSLO AlertPolicy documents", () => {
    const doc = { apiVersion: "openslo/v1", kind: "AlertPolicy", metadata: { name: "p" }, spec: {} };
    expect(errorsOf(parseText(yamlOf(doc))).map((e) => e.path)).toEqual(["kind"]);
  });
});

describe("OpenSLO labels", () => {
  it("renames label keys that are not Prometheus label names, with a warning", () => {
    const doc = {
      apiVersion: "openslo/v1",
      kind: "SLO",
      metadata: { name: "a", labels: { "app.kubernetes.io/name": "api", team: ["a", "b"] } },
      spec: {
        service: "api",
        indicator: structuredClone(ratioIndicator),
        timeWindow: [{ duration: "28d", isRolling: true }],
        budgetingMethod: "Occurrences",
        objectives: [{ target: 0.99 }],
      },
    };
    const r = parseSpecFiles([{ path: "a.yaml", text: yamlOf(doc) }], { prometheusUrl: "http://p:9090" });
    expect(r.slos[0]!.labels).toEqual({ app_kubernetes_io_name: "api", team: "a,b" });
    expect(warningsOf(r).map((w) => w.path)).toEqual(['metadata.labels["app.kubernetes.io/name"]']);
  });
});
