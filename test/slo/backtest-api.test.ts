import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNines } from "../support/cli.js";
import { ratioSpec } from "../support/specs.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

const spec = ratioSpec({ service: "search", name: "api" });

/** Two hours of clean traffic at 10 s, then a 100% outage of 10 minutes, then clean again. */
function csv(): string {
  const rows = ["timestamp,bad,total"];
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < 1440; i++) {
    const outage = i >= 720 && i < 780;
    rows.push(`${start + i * 10_000},${outage ? 100 : 0},100`);
  }
  return rows.join("\n");
}

describe("backtest through the API and the CLI", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("pages within the fast line's detection time of the outage and agrees with the CLI on every transition", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/slos/backtest",
      payload: { files: [{ path: "search.yaml", text: spec }], csv: csv() },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.summary.pages).toBeGreaterThanOrEqual(1);
    const outageStart = Date.UTC(2026, 10, 1) + 720 * 10_000;
    const firstPage = body.events.find(
      (e: { severity: string; state: string }) => e.severity === "page" && e.state === "firing",
    );
    // 51.84 s of full outage fires the 1 h / 5 m line; samples arrive every 10 s and ticks every 30 s.
    expect(firstPage.at - outageStart).toBeGreaterThanOrEqual(50_000);
    expect(firstPage.at - outageStart).toBeLessThanOrEqual(51_840 + 30_000 + 10_000);

    const dir = mkdtempSync(join(tmpdir(), "nines-backtest-"));
    writeFileSync(join(dir, "search.yaml"), spec);
    writeFileSync(join(dir, "data.csv"), csv());
    const cli = runNines([
      "slo",
      "backtest",
      join(dir, "search.yaml"),
      "--data",
      join(dir, "data.csv"),
      "--output",
      "json",
    ]);
    expect(cli.status).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    const key = (e: { at: number; line: string; state: string }) => `${e.at} ${e.line} ${e.state}`;
    expect(fromCli.events.map(key)).toEqual(body.events.map(key));
    expect(fromCli.summary.pages).toBe(body.summary.pages);
  }, 120_000);

  it("answers 400 with the CSV line for a malformed row, and nothing is stored", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/slos/backtest",
      payload: {
        files: [{ path: "search.yaml", text: spec }],
        csv: "timestamp,bad,total\n1000,1,10\n2000,x,10\n",
      },
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe("NINES_ERR_SLO_CSV_INVALID");
    expect(JSON.stringify(error.details)).toContain("3");
    expect(await t.slo.store.list()).toEqual([]);
  });
});
