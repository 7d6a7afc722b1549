import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isNinesError } from "../../src/errors/index.js";
import { alertForMs } from "../../src/prometheus/rules/alert-for.js";
import { resolveCompileOptions } from "../../src/prometheus/rules/compile-options.js";
import { compileRules } from "../../src/prometheus/rules/compile-rules.js";
import { outageSecondsToDetect } from "../../src/prometheus/rules/detection-time.js";
import type { AlertingRule, RecordingRule, RuleGroup } from "../../src/prometheus/rules/rule-types.js";
import { toPrometheusRuleYaml, toRuleFileYaml } from "../../src/prometheus/rules/rule-writer.js";
import { histogramQueries } from "../../src/prometheus/rules/sli-queries.js";
import type { AlertLine } from "../../src/slo/model.js";
import { parseAlertLines } from "./support/parse-alerts.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";

const recordings = (group: RuleGroup | undefined): RecordingRule[] =>
  (group?.rules ?? []).filter((r): r is RecordingRule => "record" in r);
const alerts = (group: RuleGroup | undefined): AlertingRule[] =>
  (group?.rules ?? []).filter((r): r is AlertingRule => "alert" in r);

describe("compileRules", () => {
  it("records the error ratio of the base window, every enabled alert window and the 30-day SLO window", () => {
    const { groups } = compileRules([makeSlo()]);
    const names = recordings(groups[0]).map((r) => r.record);
    for (const w of ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]) {
      expect(names).toContain(`nines:slo_error_ratio:rate${w}`);
    }
    expect(names).toContain("nines:slo_error_budget_remaining:ratio");
  });

  it("builds windows of a day or more from 5-minute recordings instead of re-reading raw counters", () => {
    const { groups } = compileRules([makeSlo()]);
    const byName = new Map(recordings(groups[0]).map((r) => [r.record, r.expr]));
    for (const w of ["1d", "3d", "30d"]) {
      const expr = byName.get(`nines:slo_error_ratio:rate${w}`) ?? "";
      expect(expr).toContain(`nines:slo_events_bad:increase5m{nines_slo="api/availability"}[${w}:5m]`);
      expect(expr).not.toContain("http_requests_total");
    }
    expect(byName.get("nines:slo_error_ratio:rate6h")).toContain('http_requests_total{job="api"}[6h]');
  });

  it("alerts at 14.4 x 0.001 over 1h and 5m for a 99.9% SLO's page-fast line, like the Workbook", () => {
    const lines = parseAlertLines(toRuleFileYaml(compileRules([makeSlo()]).groups));
    const fast = lines.find((l) => l.tier === "page-fast");
    expect(fast).toMatchObject({
      severity: "page",
      factor: 14.4,
      budget: 0.001,
      windowsMs: [TIME.HOUR, 5 * TIME.MIN],
    });
    expect(lines.map((l) => l.tier)).toEqual(["page-fast", "page-slow", "ticket-fast", "ticket-slow"]);
  });

  it("predicts 51.84 s of full outage to trip the 1h window at burn 14.4 and 99.9%", () => {
    const line = workbookLines()[0]!;
    expect(outageSecondsToDetect(makeSlo(), line)).toBeCloseTo(51.84, 9);
  });

  it("leaves disabled lines out", () => {
    const base = workbookLines();
    const slo = makeSlo({
      alerting: {
        name: "x",
        missingDataAfterMs: 0,
        lines: base.map((l) => ({ ...l, enabled: l.severity === "page" })),
      },
    });
    const names = alerts(compileRules([slo]).groups[0]).map((a) => a.labels?.["tier"]);
    expect(names).toEqual(["page-fast", "page-slow"]);
  });

  it("labels alerts with severity, tier, nines_slo, nines_service and the SLO's labels, and links the runbook", () => {
    const rule = alerts(compileRules([makeSlo()]).groups[0])[0];
    expect(rule?.labels).toEqual({
      env: "prod",
      owner: "platform",
      nines_slo: "api/availability",
      nines_service: "api",
      severity: "page",
      tier: "page-fast",
    });
    expect(rule?.annotations?.["runbook"]).toBe("https://runbooks.example.com/api-availability");
    expect(rule?.annotations?.["summary"]).toContain("14.4");
    expect(rule?.annotations?.["description"]).toContain("{{ $value | humanizePercentage }}");
  });

  it("adds a line's own labels and annotations, but keeps nines' severity, tier and SLO labels", () => {
    const lines = workbookLines().map((l) => ({
      ...l,
      labels: { routing_key: "team-a", severity: "pageteam", env: "staging" },
      annotations: { summary: "custom summary" },
    }));
    const slo = makeSlo({ alerting: { name: "x", missingDataAfterMs: 0, lines } });
    const rule = alerts(compileRules([slo]).groups[0])[0];
    expect(rule?.labels).toMatchObject({
      routing_key: "team-a",
      severity: "page",
      env: "staging",
      tier: "page-fast",
    });
    expect(rule?.annotations?.["summary"]).toBe("custom summary");
    expect(rule?.annotations?.["description"]).toContain("14.4");
  });

  it("uses the policy's shared alert name (Sloth alerting.name) for every line", () => {
    const slo = makeSlo({
      alerting: {
        name: "x",
        missingDataAfterMs: 0,
        lines: workbookLines(),
        alertName: "MyServiceHighErrorRate",
      },
    });
    const names = alerts(compileRules([slo]).groups[0]).map((a) => [a.alert, a.labels?.["tier"]]);
    expect(names).toEqual([
      ["MyServiceHighErrorRate", "page-fast"],
      ["MyServiceHighErrorRate", "page-slow"],
      ["MyServiceHighErrorRate", "ticket-fast"],
      ["MyServiceHighErrorRate", "ticket-slow"],
    ]);
  });

  it("counts bad events as total minus good when the SLI counts good events", () => {
    const slo = makeSlo({ sli: { kind: "ratio", count: "good" } });
    const bad = recordings(compileRules([slo]).groups[0]).find(
      (r) => r.record === "nines:slo_events_bad:increase5m",
    );
    expect(bad?.expr).toBe(
      '(sum(increase(http_requests_total{job="api"}[5m])) - (sum(increase(http_requests_total{job="api",code=~"5.."}[5m])) or vector(0)))',
    );
  });

  it("fills {{threshold}} for latency SLIs and builds bucket/count queries from a histogram", () => {
    const q = histogramQueries("http_request_duration_seconds", '{job="api"}', 0.3);
    expect(q.eventsQuery).toBe(
      'increase(http_request_duration_seconds_bucket{job="api",le="0.3"}[{{window}}])',
    );
    expect(q.totalQuery).toBe('increase(http_request_duration_seconds_count{job="api"}[{{window}}])');
    expect(histogramQueries("h", "", 1).eventsQuery).toBe('increase(h_bucket{le=~"1(\\\\.0)?"}[{{window}}])');
    const slo = makeSlo({
      sli: { kind: "latency", thresholdSeconds: 0.25, buckets: [0.1, 0.25, 1] },
      source: {
        kind: "prometheus",
        url: "",
        headers: {},
        eventsQuery: 'increase(h_bucket{le="{{threshold}}"}[{{window}}])',
        totalQuery: "increase(h_count[{{window}}])",
      },
    });
    const bad = recordings(compileRules([slo]).groups[0])[0];
    expect(bad?.expr).toBe(
      '(sum(increase(h_count[5m])) - (sum(increase(h_bucket{le="0.25"}[5m])) or vector(0)))',
    );
  });

  it("skips push-sourced SLOs with NINES_ERR_PROMRULES_UNSUPPORTED and throws it when strict", () => {
    const push = makeSlo({ name: "pushed", source: { kind: "push" } });
    const out = compileRules([push, makeSlo()]);
    expect(out.groups.map((g) => g.name)).toEqual(["nines-slo-api-availability"]);
    expect(out.skipped).toEqual([
      expect.objectContaining({ sloId: "api/pushed", code: "NINES_ERR_PROMRULES_UNSUPPORTED" }),
    ]);
    let thrown: unknown;
    try {
      compileRules([push], { strict: true });
    } catch (error) {
      thrown = error;
    }
    expect(isNinesError(thrown) && thrown.code).toBe("NINES_ERR_PROMRULES_UNSUPPORTED");
  });

  it("rejects queries without a {{window}} placeholder", () => {
    const slo = makeSlo({
      source: {
        kind: "prometheus",
        url: "",
        headers: {},
        eventsQuery: "errors",
        totalQuery: "total[{{window}}]",
      },
    });
    expect(compileRules([slo]).skipped[0]?.reason).toContain("eventsQuery has no {{window}}");
  });

  it("guards a line with minEvents by the event count of its long window", () => {
    const lines: AlertLine[] = workbookLines().map((l) => ({ ...l, minEvents: 100 }));
    const slo = makeSlo({ alerting: { name: "x", missingDataAfterMs: 0, lines } });
    const [fast, , ticketFast] = alerts(compileRules([slo]).groups[0]);
    expect(fast?.expr).toContain('and on()\n(sum(sum(increase(http_requests_total{job="api"}[1h]))) >= 100)');
    expect(ticketFast?.expr).toContain(
      'sum_over_time(nines:slo_events_total:increase5m{nines_slo="api/availability"}[1d:5m])) >= 100',
    );
  });

  it("keeps rule group names unique when two ids differ only in punctuation", () => {
    const a = makeSlo({ service: "a", name: "b-c" });
    const b = makeSlo({ service: "a-b", name: "c" });
    expect(compileRules([a, b]).groups.map((g) => g.name)).toEqual(["nines-slo-a-b-c", "nines-slo-a-b-c-2"]);
  });

  it("rejects SLO label names Prometheus cannot store", () => {
    expect(compileRules([makeSlo({ labels: { "bad-name": "x" } })]).skipped).toHaveLength(1);
  });

  it("writes the same groups as a prometheus-operator PrometheusRule", () => {
    const { groups } = compileRules([makeSlo()]);
    const doc = parse(toPrometheusRuleYaml(groups, { name: "slos", namespace: "monitoring" }));
    expect(doc).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "slos", namespace: "monitoring" },
    });
    expect(doc.spec.groups).toEqual(parse(toRuleFileYaml(groups)).groups);
  });

  it("emits thresholds equal to burnRate x (1 - objective) for any objective and factor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999 }).map((n) => n / 100_000),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (objective, burnRate) => {
          const lines = workbookLines().map((l) => ({ ...l, burnRate }));
          const slo = makeSlo({ objective, alerting: { name: "x", missingDataAfterMs: 0, lines } });
          for (const line of parseAlertLines(toRuleFileYaml(compileRules([slo]).groups))) {
            expect(line.factor * line.budget).toBeCloseTo(burnRate * (1 - objective), 10);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("keeps every `for` between one evaluation interval and the cap, in whole intervals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 * 60 }).map((m) => m * TIME.MIN),
        fc.constantFrom(15_000, 30_000, 60_000),
        (shortWindowMs, evaluationIntervalMs) => {
          const opts = resolveCompileOptions({ evaluationIntervalMs });
          const forMs = alertForMs({ ...workbookLines()[0]!, shortWindowMs }, opts);
          expect(forMs % evaluationIntervalMs).toBe(0);
          expect(forMs).toBeGreaterThanOrEqual(evaluationIntervalMs);
          expect(forMs).toBeLessThanOrEqual(Math.max(opts.maxForMs, evaluationIntervalMs));
          expect(forMs).toBeGreaterThanOrEqual(Math.min(shortWindowMs / 10, opts.maxForMs));
        },
      ),
    );
  });
});
