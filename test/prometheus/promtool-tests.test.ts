import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveCompileOptions } from "../../src/prometheus/rules/compile-options.js";
import { firingBoundMs } from "../../src/prometheus/rules/detection-time.js";
import { promtoolTests } from "../../src/prometheus/rules/promtool-tests.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";

interface TestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: {
    name: string;
    alert_rule_test: { eval_time: string; alertname: string; exp_alerts: unknown[] }[];
  }[];
}

describe("promtoolTests", () => {
  it("predicts the Workbook page-fast line fires 2 minutes into a full outage at a 1-minute interval", () => {
    const opts = resolveCompileOptions();
    // 51.84 s of outage is visible in the first 1-minute sample, then `for: 1m` elapses.
    expect(firingBoundMs(makeSlo(), workbookLines()[0]!, opts)).toBe(2 * TIME.MIN);
  });

  it("predicts 6, 23 and 26 minutes for page-slow and the two ticket lines", () => {
    const opts = resolveCompileOptions();
    const bounds = workbookLines()
      .slice(1)
      .map((l) => firingBoundMs(makeSlo(), l, opts) / TIME.MIN);
    // 129.6 s → 3 samples + for 3m; 259.2 s → 5 samples + 5m tile + 1m lag + for 12m / 15m.
    expect(bounds).toEqual([6, 23, 26]);
  });

  it("writes an outage and a slow-burn test per Prometheus SLO and names the rule file", () => {
    const slos = [makeSlo(), makeSlo({ name: "pushed", source: { kind: "push" } })];
    const doc = parse(promtoolTests(slos, { ruleFile: "slos.test-rules.yaml" }).testFile) as TestFile;
    expect(doc.rule_files).toEqual(["slos.test-rules.yaml"]);
    expect(doc.evaluation_interval).toBe("1m");
    expect(doc.tests.map((t) => t.name)).toEqual([
      "api/availability: a 100% outage from 6h5m fires each line within its detection time",
      "api/availability: a steady burn at 0.5x the budget never fires",
    ]);
  });

  it("expects page-fast not firing at 1 minute and firing at 2 minutes after the outage starts", () => {
    const doc = parse(promtoolTests([makeSlo()], { ruleFile: "r.yaml" }).testFile) as TestFile;
    const fast = doc.tests[0]?.alert_rule_test.filter((t) => t.alertname === "NinesSloBurnPageFast");
    // The healthy period is the longest raw long window (6h) plus one base window (5m).
    expect(fast?.map((t) => [t.eval_time, t.exp_alerts.length])).toEqual([
      ["6h6m", 0],
      ["6h7m", 1],
    ]);
  });

  it("replaces the SLI queries by synthetic counters and leaves annotations out of the test rules", () => {
    const { groups } = promtoolTests([makeSlo()], { ruleFile: "r.yaml" });
    const text = JSON.stringify(groups);
    expect(text).toContain("nines_test_requests_total");
    expect(text).not.toContain("http_requests_total");
    expect(text).not.toContain("annotations");
  });

  it("tests each line under its own alert name even when the policy shares one", () => {
    const slo = makeSlo({
      alerting: { name: "x", missingDataAfterMs: 0, lines: workbookLines(), alertName: "Shared" },
    });
    const doc = parse(promtoolTests([slo], { ruleFile: "r.yaml" }).testFile) as TestFile;
    const names = new Set(doc.tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect([...names].sort()).toEqual([
      "NinesSloBurnPageFast",
      "NinesSloBurnPageSlow",
      "NinesSloBurnTicketFast",
      "NinesSloBurnTicketSlow",
    ]);
  });

  it("handles an SLO whose lines are all disabled without alert tests", () => {
    const lines = workbookLines().map((l) => ({ ...l, enabled: false }));
    const slo = makeSlo({ alerting: { name: "off", missingDataAfterMs: 0, lines } });
    const doc = parse(promtoolTests([slo], { ruleFile: "r.yaml" }).testFile) as TestFile;
    expect(doc.tests.flatMap((t) => t.alert_rule_test)).toEqual([]);
  });
});
