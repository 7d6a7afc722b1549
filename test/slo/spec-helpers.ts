import { stringify } from "yaml";
import { type Diagnostic, type ParseResult, parseSpecFiles } from "../../src/slo/spec/index.js";

/** Parses one YAML text as the file `file`. */
export function parseText(text: string, file = "slos/test.yaml"): ParseResult {
  return parseSpecFiles([{ path: file, text }]);
}

export function errorsOf(result: ParseResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}

export function warningsOf(result: ParseResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "warning");
}

/** A valid native SLO document as a plain object; tests change one thing at a time. */
export function validSlo(): Record<string, unknown> {
  return {
    apiVersion: "nines/v1",
    kind: "SLO",
    metadata: { name: "availability" },
    spec: {
      service: "checkout",
      team: "payments",
      sli: { ratio: { count: "good" } },
      objective: { target: 99.9 },
      window: { rolling: "30d" },
    },
  };
}

/** Sets a value at a dotted path ("spec.objective.target") in a deep copy. */
export function withValue(
  doc: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(doc);
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

export function yamlOf(...docs: unknown[]): string {
  return docs.map((d) => stringify(d)).join("---\n");
}
