import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compileRules } from "../../src/prometheus/rules/compile-rules.js";
import { promtoolTests } from "../../src/prometheus/rules/promtool-tests.js";
import type { RuleGroup } from "../../src/prometheus/rules/rule-types.js";
import { toPrometheusRuleYaml, toRuleFileYaml } from "../../src/prometheus/rules/rule-writer.js";
import { histogramQueries } from "../../src/prometheus/rules/sli-queries.js";
import type { Slo } from "../../src/slo/model.js";
import { toolAvailable } from "../support/system-tools.js";
import { PROMTOOL, runBinary } from "./support/run-binary.js";
import { makeSlo, TIME, workbookLines } from "./support/slo-factory.js";
import { readSlothFile } from "./support/sloth-reference.js";

const SLOTH_EXAMPLES = join(import.meta.dirname, "../../examples/sloth");

const dir = mkdtempSync(join(tmpdir(), "nines-promtool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const latency: Slo = makeSlo({
  name: "latency",
  sli: { kind: "latency", thresholdSeconds: 0.3, buckets: [0.1, 0.3, 1] },
  source: {
    kind: "prometheus",
    url: "",
    headers: {},
    ...histogramQueries("http_request_duration_seconds", '{job="api"}', 0.3),
  },
});
const good28d = makeSlo({
  name: "checkout",
  objective: 0.995,
  sli: { kind: "ratio", count: "good" },
  window: { kind: "rolling", lengthMs: 28 * TIME.DAY },
  alerting: {
    name: "default",
    missingDataAfterMs: 0,
    lines: workbookLines(28 * TIME.DAY).map((l) => ({ ...l, minEvents: 50 })),
  },
});
const pageOnly = makeSlo({
  name: "page-only",
  alerting: { name: "x", missingDataAfterMs: 0, lines: workbookLines().slice(0, 1) },
});

async function promtool(file: string, content: string, ...args: string[]) {
  writeFileSync(join(dir, file), content);
  return runBinary(PROMTOOL, [...args, file], dir);
}

async function runGeneratedTests(
  name: string,
  slos: readonly Slo[],
  mutate?: (g: readonly RuleGroup[]) => unknown,
) {
  const bundle = promtoolTests(slos, { ruleFile: `${name}.rules.yaml` });
  const groups =
    mutate === undefined ? toRuleFileYaml(bundle.groups) : stringify({ groups: mutate(bundle.groups) });
  writeFileSync(join(dir, `${name}.rules.yaml`), groups);
  return promtool(`${name}.test.yaml`, bundle.testFile, "test", "rules");
}

describe.skipIf(!toolAvailable("promtool"))("generated rules under the real promtool", () => {
  it("pass `promtool check rules` for ratio, good-count, latency and 28-day SLOs", async () => {
    const out = await promtool(
      "all.rules.yaml",
      toRuleFileYaml(compileRules([makeSlo(), latency, good28d]).groups),
      "check",
      "rules",
    );
    expect(out.stderr + out.stdout).toContain("SUCCESS");
    expect(out.code).toBe(0);
  });

  it("pass `promtool check rules` for the SLOs of the Sloth examples (rate-based queries)", async () => {
    const slos = readdirSync(SLOTH_EXAMPLES)
      .filter((f) => f.endsWith(".yaml"))
      .flatMap((f) =>
        readSlothFile(readFileSync(join(SLOTH_EXAMPLES, f), "utf8"), 30 * TIME.DAY).map((e) => e.slo),
      );
    expect(slos.length).toBeGreaterThanOrEqual(4);
    const out = await promtool(
      "sloth.rules.yaml",
      toRuleFileYaml(compileRules(slos, { strict: true }).groups),
      "check",
      "rules",
    );
    expect(out.code).toBe(0);
  });

  it("pass `promtool check rules` as the spec of a PrometheusRule resource", async () => {
    const resource = parse(toPrometheusRuleYaml(compileRules([makeSlo()]).groups, { name: "slos" }));
    const out = await promtool("operator.rules.yaml", stringify(resource.spec), "check", "rules");
    expect(out.code).toBe(0);
  });

  it("are rejected by promtool when an expression is broken (the check can fail)", async () => {
    const out = await promtool(
      "broken.rules.yaml",
      stringify({ groups: [{ name: "x", rules: [{ record: "a:b", expr: "sum(" }] }] }),
      "check",
      "rules",
    );
    expect(out.code).not.toBe(0);
  });
});

describe.skipIf(!toolAvailable("promtool"))("generated promtool unit tests", () => {
  it.concurrent("fire the Workbook lines of a 99.9% bad-count SLO within their predicted detection time and never at 0.5x burn", async () => {
    const out = await runGeneratedTests("avail", [makeSlo()]);
    expect(out.stdout + out.stderr).toContain("SUCCESS");
    expect(out.code).toBe(0);
  }, 240_000);

  it.concurrent("hold for a 99.5% good-count SLO over 28 days with a minimum-events guard", async () => {
    const out = await runGeneratedTests("checkout", [good28d]);
    expect(out.stdout + out.stderr).toContain("SUCCESS");
    expect(out.code).toBe(0);
  }, 240_000);

  it.concurrent("fail when the page-fast threshold is loosened from 14.4 to 40", async () => {
    const out = await runGeneratedTests("loosened", [pageOnly], (groups) =>
      groups.map((g) => ({
        ...g,
        rules: g.rules.map((r) => ("alert" in r ? { ...r, expr: r.expr.replaceAll("14.4 *", "40 *") } : r)),
      })),
    );
    expect(out.code).not.toBe(0);
    expect(out.stdout + out.stderr).toContain("NinesSloBurnPageFast");
  }, 240_000);

  it.concurrent("fail when the page-fast factor drops to 0.4, below the 0.5x steady burn", async () => {
    const out = await runGeneratedTests("tight", [pageOnly], (groups) =>
      groups.map((g) => ({
        ...g,
        rules: g.rules.map((r) => ("alert" in r ? { ...r, expr: r.expr.replaceAll("14.4 *", "0.4 *") } : r)),
      })),
    );
    expect(out.code).not.toBe(0);
    expect(out.stdout + out.stderr).toContain("0.5x the budget never fires");
  }, 240_000);

  it.concurrent("fail when `for` is lengthened beyond the predicted detection time", async () => {
    const out = await runGeneratedTests("slow-for", [pageOnly], (groups) =>
      groups.map((g) => ({ ...g, rules: g.rules.map((r) => ("alert" in r ? { ...r, for: "10m" } : r)) })),
    );
    expect(out.code).not.toBe(0);
  }, 240_000);
});
