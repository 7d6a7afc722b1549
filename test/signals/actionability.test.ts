import { describe, expect, it } from "vitest";
import { actionabilityReport } from "../../src/signals/index.js";

describe("actionability", () => {
  it("gives the share of non-actionable pages per alert, noisiest first", () => {
    const report = actionabilityReport([
      { alert: "DiskFull", actionable: true },
      { alert: "DiskFull", actionable: false, reason: "self-healed" },
      { alert: "CpuHigh", actionable: false, reason: "flapping" },
      { alert: "CpuHigh", actionable: false, reason: "flapping" },
      { alert: "CpuHigh", actionable: false },
      { alert: "CpuHigh", actionable: true },
      { alert: "BurnFast", actionable: true },
    ]);
    expect(report.pages).toBe(7);
    expect(report.nonActionable).toBe(4);
    expect(report.nonActionableShare).toBeCloseTo(4 / 7);
    expect(report.byAlert.map((a) => [a.alert, a.nonActionableShare])).toEqual([
      ["CpuHigh", 0.75],
      ["DiskFull", 0.5],
      ["BurnFast", 0],
    ]);
    expect(report.byAlert[0]?.reasons).toEqual({ flapping: 2, "(none)": 1 });
  });

  it("reports nothing for no pages", () => {
    expect(actionabilityReport([])).toEqual({
      pages: 0,
      nonActionable: 0,
      nonActionableShare: 0,
      byAlert: [],
    });
  });
});
