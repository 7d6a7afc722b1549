import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runNines } from "../support/cli.js";
import { promtool } from "../support/promtool.js";
import { toolAvailable } from "../support/system-tools.js";

describe("nines rules generate", () => {
  it.skipIf(!toolAvailable("promtool"))(
    "writes rules that promtool accepts and unit tests that promtool passes, for the example specs",
    () => {
      const out = mkdtempSync(join(tmpdir(), "nines-rules-"));
      const result = runNines([
        "rules",
        "generate",
        "-f",
        join(repoRoot, "examples", "slos"),
        "--out",
        `${out}/`,
        "--tests",
      ]);
      expect(result.stderr).toContain("wrote");
      expect(result.status).toBe(0);
      const rules = join(out, "nines-slo-rules.yaml");
      const tests = join(out, "nines-slo-rules.test.yaml");
      expect(existsSync(join(out, "nines-slo-rules.test-rules.yaml"))).toBe(true);
      expect(existsSync(tests)).toBe(true);
      expect(readFileSync(rules, "utf8")).toContain("nines:slo_error_ratio:rate5m");
      const check = promtool(["check", "rules", rules]);
      expect(check.output).toContain("SUCCESS");
      expect(check.status).toBe(0);
      const unit = promtool(["test", "rules", tests]);
      expect(unit.output).toContain("SUCCESS");
      expect(unit.status).toBe(0);
    },
    300_000,
  );

  it("exits 1 with the file and line when a spec is invalid, and writes nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "nines-rules-"));
    const bad = join(out, "bad.yaml");
    writeFileSync(
      bad,
      "apiVersion: nines/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  service: s\n  sli:\n    ratio:\n      count: good\n  objective:\n    target: 100\n  window:\n    rolling: 30d\n",
    );
    const result = runNines(["rules", "generate", "-f", bad, "--out", join(out, "rules.yaml")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:11:\d+/);
    expect(existsSync(join(out, "rules.yaml"))).toBe(false);
  });
});
