import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { tryParseDuration } from "../../src/slo/duration.js";
import { parseSpecFiles } from "../../src/slo/spec/index.js";
import { errorsOf, validSlo, withValue, yamlOf } from "./spec-helpers.js";

const FILE = "fuzz.yaml";

function parse(text: string) {
  return parseSpecFiles([{ path: FILE, text }]);
}

function wellFormed(result: ReturnType<typeof parse>): void {
  for (const d of result.diagnostics) {
    expect(d.file).toBe(FILE);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message).not.toMatch(/internal error/);
  }
}

const PATHS = [
  "apiVersion",
  "kind",
  "metadata",
  "metadata.name",
  "spec",
  "spec.service",
  "spec.sli",
  "spec.sli.ratio.count",
  "spec.objective",
  "spec.objective.target",
  "spec.window",
  "spec.window.rolling",
  "spec.budgeting",
  "spec.source",
  "spec.alerting",
  "spec.alerting.lines",
  "spec.alerting.policy",
];

describe("bad input never throws", () => {
  it("answers any value at any field with diagnostics, never an exception", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.anything(), (path, value) => {
        wellFormed(parse(yamlOf(withValue(validSlo(), path, value))));
      }),
      { numRuns: 300 },
    );
  });

  it("reports at least one error for a target outside (0, 100)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 100, max: 1e9, noNaN: true }),
          fc.double({ min: -1e9, max: 0, noNaN: true }),
        ),
        (target) => {
          const r = parse(yamlOf(withValue(validSlo(), "spec.objective.target", target)));
          wellFormed(r);
          expect(errorsOf(r).some((e) => e.path === "spec.objective.target")).toBe(true);
          expect(r.slos).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports an error for any window that is not a duration", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => tryParseDuration(s) === undefined),
        (text) => {
          const r = parse(yamlOf(withValue(validSlo(), "spec.window.rolling", text)));
          wellFormed(r);
          expect(errorsOf(r).map((e) => e.path)).toContain("spec.window.rolling");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports an unknown field anywhere in the spec, at its key", () => {
    const objects = ["", "metadata", "spec", "spec.sli", "spec.objective", "spec.window"];
    fc.assert(
      fc.property(
        fc.constantFrom(...objects),
        fc.stringMatching(/^[a-z]{3,10}X$/),
        fc.jsonValue(),
        (at, key, value) => {
          const path = at === "" ? key : `${at}.${key}`;
          const r = parse(yamlOf(withValue(validSlo(), path, value ?? 1)));
          wellFormed(r);
          expect(errorsOf(r).some((e) => e.path === path && e.message.includes("unknown field"))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("survives arbitrary text and arbitrary documents in every format", () => {
    const header = fc.constantFrom(
      { apiVersion: "nines/v1", kind: "SLO" },
      { apiVersion: "nines/v1", kind: "AlertPolicy" },
      { apiVersion: "openslo/v1", kind: "SLO" },
      { apiVersion: "openslo/v1", kind: "SLI" },
      { apiVersion: "sloth.slok.dev/v1", kind: "PrometheusServiceLevel" },
      { version: "prometheus/v1" },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" })), (text) => {
        wellFormed(parse(text));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(header, fc.dictionary(fc.string(), fc.anything()), (h, body) => {
        const r = parse(yamlOf({ ...body, ...h }));
        wellFormed(r);
        expect(errorsOf(r).length > 0 || r.slos.length + r.policies.length > 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("mutated examples never throw", () => {
  const files = [
    "examples/slos/native/checkout.yaml",
    "examples/slos/native/search.yaml",
    "examples/slos/openslo/payments.yaml",
    "examples/slos/sloth/myservice.yaml",
    "examples/slos/sloth/k8s-servicelevel.yaml",
  ];
  const docs = files.flatMap((f) =>
    (parseAllDocuments(readFileSync(f, "utf8")) as unknown as { toJS(): unknown }[]).map((d) => d.toJS()),
  );

  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (typeof value !== "object" || value === null) return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }

  function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
    if (path.length === 0) return replacement;
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1)!] = replacement;
    return copy;
  }

  it("answers any value at any path of any example document with diagnostics", () => {
    const cases = docs.flatMap((doc, i) => paths(doc).map((p) => [i, p] as const));
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.anything(), ([i, path], value) => {
        const others = docs.filter((_, j) => j !== i);
        wellFormed(parse(yamlOf(...others, setAt(docs[i], path, value))));
      }),
      { numRuns: 300 },
    );
  });
});
