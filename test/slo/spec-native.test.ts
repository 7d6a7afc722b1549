import { describe, expect, it } from "vitest";
import { parseSpecFiles } from "../../src/slo/spec/index.js";
import { errorsOf, parseText, validSlo, warningsOf, withValue, yamlOf } from "./spec-helpers.js";

const DAY = 86_400_000;

describe("native specs", () => {
  it("reads a minimal SLO with the default policy, push source and occurrences budgeting", () => {
    const r = parseText(yamlOf(validSlo()));
    expect(r.diagnostics).toEqual([]);
    const slo = r.slos[0]!;
    expect(slo).toMatchObject({
      id: "checkout/availability",
      objective: 0.999,
      window: { kind: "rolling", lengthMs: 30 * DAY },
      source: { kind: "push" },
      budgeting: { method: "occurrences" },
      alerting: { name: "default" },
    });
    expect(slo.alerting.lines.map((l) => l.burnRate)).toEqual([14.4, 6, 3, 1]);
  });

  it("reads the flat form like the metadata/spec form", () => {
    const flat = {
      apiVersion: "nines/v1",
      kind: "SLO",
      name: "availability",
      ...(validSlo().spec as object),
    };
    const a = parseText(yamlOf(flat)).slos[0];
    const b = parseText(yamlOf(validSlo())).slos[0];
    expect(a).toEqual(b);
  });

  it.each([100, 100.5, 250])("refuses target %d% and explains that 100% leaves no error budget", (target) => {
    const errors = errorsOf(parseText(yamlOf(withValue(validSlo(), "spec.objective.target", target))));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "spec.objective.target", line: 12, column: 13 });
    expect(errors[0]!.message).toMatch(/no error budget/);
    expect(errors[0]!.hint).toMatch(/SRE book/);
  });

  it.each([0, -5])("refuses target %d%", (target) => {
    const errors = errorsOf(parseText(yamlOf(withValue(validSlo(), "spec.objective.target", target))));
    expect(errors.map((e) => e.path)).toEqual(["spec.objective.target"]);
  });

  it("warns that a target of 0.999 is in percent, not a fraction", () => {
    const r = parseText(yamlOf(withValue(validSlo(), "spec.objective.target", 0.999)));
    expect(warningsOf(r).some((w) => w.hint?.includes("99.9"))).toBe(true);
  });

  it("refuses an alert window longer than the SLO window", () => {
    const doc = withValue(validSlo(), "spec.alerting.lines", { "ticket-slow": { longWindow: "40d" } });
    const errors = errorsOf(parseText(yamlOf(doc)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "spec.alerting.lines.ticket-slow.longWindow" });
    expect(errors[0]!.message).toMatch(/longer than the 30d SLO window/);
  });

  it("refuses a short window that is not shorter than its long window", () => {
    const doc = withValue(validSlo(), "spec.alerting.lines", { "page-fast": { shortWindow: "1h" } });
    const errors = errorsOf(parseText(yamlOf(doc)));
    expect(errors.map((e) => e.path)).toEqual(["spec.alerting.lines.page-fast.shortWindow"]);
  });

  it("refuses a 90% SLO whose default 14.4 page can never fire, and accepts it with the line disabled", () => {
    const doc = withValue(validSlo(), "spec.objective.target", 90);
    const errors = errorsOf(parseText(yamlOf(doc)));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/"page-fast" can never fire/);
    expect(errors[0]!.message).toMatch(/144%/);
    const fixed = withValue(doc, "spec.alerting.lines", { "page-fast": { enabled: false } });
    expect(errorsOf(parseText(yamlOf(fixed)))).toEqual([]);
  });

  it("suggests the field meant by an unknown one and points at the key", () => {
    const doc = withValue(validSlo(), "spec.objectiv", { target: 99 });
    const errors = errorsOf(parseText(yamlOf(doc)));
    const unknown = errors.find((e) => e.message.includes('objectiv"'));
    expect(unknown?.hint).toBe('did you mean "objective"?');
    expect(unknown?.path).toBe("spec.objectiv");
  });

  it("refuses a duplicate service/name across files and names the first file", () => {
    const text = yamlOf(validSlo());
    const r = parseSpecFiles([
      { path: "a.yaml", text },
      { path: "b.yaml", text },
    ]);
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: "b.yaml", path: "metadata.name" });
    expect(errors[0]!.message).toContain("a.yaml");
    expect(r.slos).toHaveLength(1);
  });

  it.each([
    ["30days", /not a duration/],
    ["1.5d", /fraction/],
    ["1M", /calendar/],
    [30, /add a unit/],
  ])("refuses the window duration %j", (value, message) => {
    const errors = errorsOf(parseText(yamlOf(withValue(validSlo(), "spec.window.rolling", value))));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe("spec.window.rolling");
    expect(errors[0]!.message).toMatch(message);
  });

  it("refuses a latency threshold that is not a bucket bound and names the nearest bounds", () => {
    const doc = withValue(validSlo(), "spec.sli", {
      latency: { thresholdSeconds: 0.25, buckets: [0.1, 0.2, 0.3, 1] },
    });
    const errors = errorsOf(parseText(yamlOf(doc)));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe("spec.sli.latency.thresholdSeconds");
    expect(errors[0]!.message).toContain("0.2 and 0.3");
  });

  it("reads a latency SLI whose threshold is a bucket bound", () => {
    const doc = withValue(validSlo(), "spec.sli", {
      latency: { thresholdSeconds: 0.3, buckets: [0.1, 0.3, 1] },
    });
    expect(parseText(yamlOf(doc)).slos[0]!.sli).toEqual({
      kind: "latency",
      thresholdSeconds: 0.3,
      buckets: [0.1, 0.3, 1],
    });
  });

  it("refuses an SLI with both ratio and latency", () => {
    const doc = withValue(validSlo(), "spec.sli.latency", { thresholdSeconds: 1, buckets: [1] });
    expect(errorsOf(parseText(yamlOf(doc))).map((e) => e.path)).toEqual(["spec.sli"]);
  });

  it("reads a calendar month in a time zone and refuses an unknown zone", () => {
    const doc = withValue(validSlo(), "spec.window", { calendar: "month", timeZone: "Europe/Berlin" });
    expect(parseText(yamlOf(doc)).slos[0]!.window).toEqual({
      kind: "calendar",
      unit: "month",
      timeZone: "Europe/Berlin",
    });
    const bad = withValue(doc, "spec.window.timeZone", "Mars/Olympus");
    expect(errorsOf(parseText(yamlOf(bad))).map((e) => e.path)).toEqual(["spec.window.timeZone"]);
  });

  it("reads timeslice budgeting and refuses it without a slice window", () => {
    const doc = withValue(validSlo(), "spec.budgeting", {
      method: "timeslices",
      sliceWindow: "1m",
      sliceTarget: 95,
    });
    expect(parseText(yamlOf(doc)).slos[0]!.budgeting).toEqual({
      method: "timeslices",
      sliceMs: 60_000,
      sliceTarget: 0.95,
    });
    const bad = withValue(doc, "spec.budgeting.sliceWindow", undefined);
    expect(errorsOf(parseText(yamlOf(bad)))).toHaveLength(1);
  });

  it("refuses a Prometheus query without the {{window}} placeholder", () => {
    const doc = withValue(validSlo(), "spec.source", {
      prometheus: {
        url: "http://prom:9090",
        eventsQuery: "sum(up)",
        totalQuery: "sum(increase(x[{{window}}]))",
      },
    });
    expect(errorsOf(parseText(yamlOf(doc))).map((e) => e.path)).toEqual([
      "spec.source.prometheus.eventsQuery",
    ]);
  });

  it("resolves a named AlertPolicy from another file, with the SLO's own overrides on top", () => {
    const policy = {
      apiVersion: "nines/v1",
      kind: "AlertPolicy",
      metadata: { name: "quiet" },
      spec: {
        missingDataAfter: "1h",
        lines: { "ticket-slow": { enabled: false }, "page-slow": { severity: "ticket" } },
      },
    };
    const slo = withValue(withValue(validSlo(), "spec.alerting.policy", "quiet"), "spec.alerting.lines", {
      "page-fast": { minEvents: 500 },
    });
    const r = parseSpecFiles([
      { path: "policies.yaml", text: yamlOf(policy) },
      { path: "slo.yaml", text: yamlOf(slo) },
    ]);
    expect(r.diagnostics).toEqual([]);
    const a = r.slos[0]!.alerting;
    expect(a.name).toBe("quiet");
    expect(a.missingDataAfterMs).toBe(3_600_000);
    expect(a.lines.map((l) => [l.name, l.severity, l.enabled, l.minEvents])).toEqual([
      ["page-fast", "page", true, 500],
      ["page-slow", "ticket", true, 167],
      ["ticket-fast", "ticket", true, 334],
      ["ticket-slow", "ticket", false, 1001],
    ]);
    expect(r.policies.map((p) => p.name)).toEqual(["quiet"]);
  });

  it("refuses an unknown policy name with a suggestion", () => {
    const policy = {
      apiVersion: "nines/v1",
      kind: "AlertPolicy",
      metadata: { name: "quiet" },
      spec: { lines: {} },
    };
    const slo = withValue(validSlo(), "spec.alerting.policy", "quite");
    const errors = errorsOf(parseText(yamlOf(policy, slo)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "spec.alerting.policy", hint: 'did you mean "quiet"?' });
  });

  it("warns, without an error, when the target leaves less than 5 minutes of outage", () => {
    const r = parseText(yamlOf(withValue(validSlo(), "spec.objective.target", 99.9999)));
    expect(errorsOf(r)).toEqual([]);
    expect(warningsOf(r).map((w) => w.path)).toEqual(["spec.objective.target"]);
    expect(r.slos).toHaveLength(1);
  });

  it("warns when every alert line is disabled", () => {
    const off = { enabled: false };
    const doc = withValue(validSlo(), "spec.alerting.lines", {
      "page-fast": off,
      "page-slow": off,
      "ticket-fast": off,
      "ticket-slow": off,
    });
    expect(warningsOf(parseText(yamlOf(doc))).map((w) => w.path)).toEqual(["spec.alerting"]);
  });

  it("points at the right line of the right document in a multi-document file", () => {
    const text = `${yamlOf(validSlo())}---\n${yamlOf(withValue(withValue(validSlo(), "metadata.name", "b"), "spec.objective.target", 100))}`;
    const [error] = errorsOf(parseText(text));
    const lines = text.split("\n");
    expect(lines[error!.line - 1]).toMatch(/target: 100/);
  });

  it("reports YAML syntax errors with their line", () => {
    const [error] = errorsOf(parseText("apiVersion: nines/v1\nkind: SLO\nmetadata: [a\n"));
    expect(error!.message).toMatch(/^YAML/);
    expect(error!.line).toBeGreaterThanOrEqual(3);
  });

  it("names the supported formats for an unknown apiVersion", () => {
    const [error] = errorsOf(parseText(yamlOf(withValue(validSlo(), "apiVersion", "nines/v2"))));
    expect(error).toMatchObject({ path: "apiVersion", hint: 'did you mean "nines/v1"?' });
  });

  it("skips empty documents and comments", () => {
    expect(parseText(`# nothing\n---\n${yamlOf(validSlo())}---\n`).diagnostics).toEqual([]);
  });
});

describe("labels", () => {
  it("refuses a label key that is not a Prometheus label name", () => {
    const doc = withValue(validSlo(), "metadata.labels", { "app.kubernetes.io/name": "x" });
    const errors = errorsOf(parseText(yamlOf(doc)));
    expect(errors.map((e) => e.path)).toEqual(['metadata.labels["app.kubernetes.io/name"]']);
  });
});

describe("duplicates", () => {
  it("reports a duplicate even when the first copy has errors", () => {
    const bad = withValue(validSlo(), "spec.objective.target", 100);
    const errors = errorsOf(parseText(yamlOf(bad, validSlo())));
    expect(errors.map((e) => e.path)).toEqual(["spec.objective.target", "metadata.name"]);
  });
});
