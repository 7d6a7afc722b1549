import { parse } from "yaml";
import { parsePromDuration } from "../../../src/prometheus/prom-duration.js";

/** A burn-rate condition read back from a generated alert expression. */
export interface ParsedLine {
  readonly alert: string;
  readonly severity: string;
  readonly tier: string;
  readonly windowsMs: readonly number[];
  readonly factor: number;
  readonly budget: number;
  readonly forText: string | undefined;
}

interface FileRule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

const CONDITION = /nines:slo_error_ratio:rate(\w+)\{[^}]*\} > \(([\d.e+-]+) \* ([\d.e+-]+)\)/g;

/** Reads the alerting rules of a rule file text back into windows and thresholds. */
export function parseAlertLines(ruleFileYaml: string): readonly ParsedLine[] {
  const doc = parse(ruleFileYaml) as { groups: { rules: FileRule[] }[] };
  return doc.groups.flatMap((group) =>
    group.rules
      .filter((rule) => rule.alert !== undefined)
      .map((rule) => {
        const conditions = [...rule.expr.matchAll(CONDITION)];
        const factors = new Set(conditions.map((m) => Number(m[2])));
        const budgets = new Set(conditions.map((m) => Number(m[3])));
        if (conditions.length !== 2 || factors.size !== 1 || budgets.size !== 1) {
          throw new Error(`unexpected alert expression: ${rule.expr}`);
        }
        return {
          alert: rule.alert ?? "",
          severity: rule.labels?.["severity"] ?? "",
          tier: rule.labels?.["tier"] ?? "",
          windowsMs: conditions.map((m) => parsePromDuration(m[1] ?? "") ?? Number.NaN).sort((a, b) => b - a),
          factor: [...factors][0] ?? Number.NaN,
          budget: [...budgets][0] ?? Number.NaN,
          forText: rule.for,
        };
      }),
  );
}
