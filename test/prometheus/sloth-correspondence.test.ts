import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/prometheus/rules/compile-rules.js";
import { toRuleFileYaml } from "../../src/prometheus/rules/rule-writer.js";
import { parseAlertLines } from "./support/parse-alerts.js";
import { TIME } from "./support/slo-factory.js";
import { readSlothFile } from "./support/sloth-reference.js";

const EXAMPLES = join(import.meta.dirname, "../../examples/sloth");
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml"));

describe("Sloth correspondence", () => {
  it("has Sloth example specs to compare", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  for (const periodDays of [30, 28]) {
    for (const file of files) {
      it(`alerts on the same windows and thresholds as Sloth for ${file} over ${periodDays} days`, () => {
        const entries = readSlothFile(readFileSync(join(EXAMPLES, file), "utf8"), periodDays * TIME.DAY);
        for (const { slo, sloth } of entries) {
          const ours = parseAlertLines(toRuleFileYaml(compileRules([slo], { strict: true }).groups));
          expect(ours).toHaveLength(sloth.length);
          for (const expected of sloth) {
            const match = ours.find(
              (l) =>
                l.severity === expected.severity &&
                l.windowsMs[0] === expected.longWindowMs &&
                l.windowsMs[1] === expected.shortWindowMs,
            );
            expect(match, `${slo.id} ${expected.severity} ${expected.longWindowMs}`).toBeDefined();
            expect(match!.factor).toBeCloseTo(expected.factor, 9);
            expect(match!.factor * match!.budget).toBeCloseTo(
              expected.factor * expected.errorBudgetRatio,
              12,
            );
          }
        }
      });
    }
  }

  it("matches Sloth's 14.4 / 6 / 3 / 1 factors for a 30-day period", () => {
    const entries = readSlothFile(
      readFileSync(join(EXAMPLES, "myservice-availability.yaml"), "utf8"),
      30 * TIME.DAY,
    );
    const factors = parseAlertLines(toRuleFileYaml(compileRules(entries.map((e) => e.slo)).groups)).map(
      (l) => l.factor,
    );
    expect(factors).toEqual([14.4, 6, 3, 1]);
  });
});
