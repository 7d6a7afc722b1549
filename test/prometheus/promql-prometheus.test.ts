import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SloDetail, SloSummary } from "../../src/slo/slo.schemas.js";
import { runNinesAsync } from "../support/cli.js";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { freePort } from "../support/free-port.js";
import { TOOLS, toolAvailable } from "../support/system-tools.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { type PrometheusServer, queryValue, startPrometheusServer } from "./support/prometheus-server.js";

const MINUTE = 60_000;
/** The history ends on a whole minute before the test starts; it holds 300 one-minute steps. */
const HIST_END = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
const HIST_START = HIST_END - 300 * MINUTE;
/** Bad events in minute j (1..300): 1 for the first 150 minutes, a 50% burst in minutes 200–209. */
const badIn = (j: number) => (j >= 200 && j <= 209 ? 50 : j <= 150 ? 1 : 0);
const HIST_TOTAL = 300 * 100;
const HIST_BAD = 150 + 10 * 50;

/** The history as OpenMetrics, for `promtool tsdb create-blocks-from openmetrics`. */
function historyOpenMetrics(): string {
  const good: string[] = [];
  const bad: string[] = [];
  let g = 5_000;
  let b = 100;
  for (let i = 0; i <= 300; i++) {
    if (i > 0) {
      b += badIn(i);
      g += 100 - badIn(i);
    }
    const ts = (HIST_START + i * MINUTE) / 1000;
    good.push(`hist_requests_total{code="200"} ${g} ${ts}`);
    bad.push(`hist_requests_total{code="500"} ${b} ${ts}`);
  }
  return [
    "# HELP hist_requests Requests served before nines.",
    "# TYPE hist_requests counter",
    ...good,
    ...bad,
    "# EOF",
    "",
  ].join("\n");
}

const spec = (name: string, url: string, body: string) => `apiVersion: nines/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: shop
${body}
  source:
    prometheus:
      url: ${url}
`;

/** Live traffic: 99% good, from an exporter whose counters the test drives. */
const liveSpec = (url: string) =>
  `${spec(
    "live",
    url,
    `  sli: { ratio: { count: good } }
  objective: { target: 95 }
  window: { rolling: 1d }`,
  )}      eventsQuery: sum(increase(app_requests_total{code!~"5.."}[{{window}}]))
      totalQuery: sum(increase(app_requests_total[{{window}}]))
`;

/** Five hours of history from before the SLO existed, imported into Prometheus' TSDB. */
const histSpec = (url: string, target = 95) =>
  `${spec(
    "history",
    url,
    `  sli: { ratio: { count: bad } }
  objective: { target: ${target} }
  window: { rolling: 1d }`,
  )}      eventsQuery: sum(increase(hist_requests_total{code="500"}[{{window}}]))
      totalQuery: sum(increase(hist_requests_total[{{window}}]))
`;

/** A PromQL syntax error (the label matcher is not closed). */
const brokenSpec = (url: string) =>
  `${spec(
    "broken",
    url,
    `  sli: { ratio: { count: good } }
  objective: { target: 99 }
  window: { rolling: 1d }`,
  )}      eventsQuery: sum(increase(app_requests_total{code!~"5.."[{{window}}]))
      totalQuery: sum(increase(app_requests_total[{{window}}]))
`;

describe.skipIf(!toolAvailable("prometheus"))("SLIs pulled from a real Prometheus", () => {
  const dir = mkdtempSync(join(tmpdir(), "nines-promql-"));
  const counters = { good: 99_000, bad: 1_000 };
  let exporter: Server;
  let ticker: NodeJS.Timeout;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    // Good and bad move together (99:1) so every scrape sees the same ratio.
    ticker = setInterval(() => {
      counters.good += 99;
      counters.bad += 1;
    }, 100);
    exporter = createServer((_req, res) => {
      res
        .writeHead(200, { "content-type": "text/plain; version=0.0.4" })
        .end(
          [
            "# HELP app_requests_total Requests served.",
            "# TYPE app_requests_total counter",
            `app_requests_total{code="200"} ${counters.good}`,
            `app_requests_total{code="500"} ${counters.bad}`,
            "",
          ].join("\n"),
        );
    });
    await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
    const address = exporter.address();
    const exporterPort = typeof address === "object" && address ? address.port : 0;
    writeFileSync(join(dir, "history.om"), historyOpenMetrics());
    mkdirSync(join(dir, "data"));
    const blocks = spawnSync(
      TOOLS.promtool,
      ["tsdb", "create-blocks-from", "openmetrics", join(dir, "history.om"), join(dir, "data")],
      { encoding: "utf8" },
    );
    if (blocks.status !== 0) throw new Error(`promtool failed: ${blocks.stderr}`);
    prometheus = await startPrometheusServer({
      dir,
      port: await freePort(),
      targets: [`127.0.0.1:${exporterPort}`],
    });
    const deadline = Date.now() + 60_000;
    while ((await queryValue(prometheus.url, 'count(app_requests_total{job="app"})')) !== 2) {
      if (Date.now() > deadline)
        throw new Error(`the exporter is not scraped\n${prometheus.logs().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await queryValue(prometheus.url, "count(hist_requests_total)")).toBe(2);
  });

  afterAll(async () => {
    clearInterval(ticker);
    await prometheus?.stop();
    await new Promise((resolve) => exporter?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  async function apply(t: TestApp, text: string, path: string) {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/slos/apply",
      headers: { authorization: `Bearer ${await t.token("write")}` },
      payload: { files: [{ path, text }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { results: { id: string; outcome: string }[] }).results;
  }

  async function detail(t: TestApp, name: string): Promise<SloDetail> {
    const res = await t.app.inject({ method: "GET", url: `/api/v1/slos/shop/${name}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SloDetail;
  }

  /** Pulls until the SLO's summary satisfies `done` (or 45 s pass). */
  async function pullUntil(t: TestApp, name: string, done: (s: SloSummary) => boolean): Promise<SloSummary> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      await t.slo.sources.run();
      const summary = (await detail(t, name)).summary;
      if (done(summary)) return summary;
      if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(summary)}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  for (const dialect of DIALECTS) {
    describe.skipIf(dialect === "postgres" && !postgresAvailable())(`on ${dialect}`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await createTestApp({ slo: { pullStepSeconds: 5, pullDelaySeconds: 1 } }, dialect);
      });
      afterAll(() => t?.close());

      it("a good/total query pulled every step gives the SLI Prometheus sees (99%)", async () => {
        await apply(t, liveSpec(prometheus.url), "slos/live.yaml");
        const summary = await pullUntil(
          t,
          "live",
          (s) =>
            (s.budget.allowed ?? 0) > 0 &&
            s.sli !== null &&
            (s.source?.lastSampleAt ?? 0) > Date.now() - 20_000,
        );
        expect(summary.sli).toBeCloseTo(0.99, 9);
        expect(summary.state).toBe("ok");
        expect(summary.source).toMatchObject({
          kind: "prometheus",
          url: prometheus.url,
          state: "ok",
          error: null,
        });
        const before = summary.source!.lastSampleAt!;
        await new Promise((r) => setTimeout(r, 6_000));
        await t.slo.sources.run();
        const after = (await detail(t, "live")).summary;
        expect(after.source!.lastSampleAt).toBeGreaterThan(before);
        expect(after.sli).toBeCloseTo(0.99, 9);
      }, 90_000);

      it("a new spec back-fills its window from query_range: the budget is right from the first minute", async () => {
        expect(await apply(t, histSpec(prometheus.url), "slos/history.yaml")).toEqual([
          { id: "shop/history", outcome: "created" },
        ]);
        // The pass whose newest step ends where the history ends.
        await t.slo.sources.run(HIST_END + 1_000);
        const d = await detail(t, "history");
        expect(d.summary.source?.backfill).toMatchObject({
          state: "done",
          percent: 100,
          toMs: HIST_END,
          steps: 1_440,
        });
        expect(d.summary.source?.state).toBe("ok");
        expect(d.summary.budget.spent).toBeCloseTo(HIST_BAD, 6);
        expect(d.summary.budget.allowed).toBeCloseTo(0.05 * HIST_TOTAL, 6);
        expect(d.summary.budgetRemaining).toBeCloseTo(1 - HIST_BAD / (0.05 * HIST_TOTAL), 6);
        expect(d.summary.sli).toBeCloseTo(1 - HIST_BAD / HIST_TOTAL, 9);
        expect(t.logs.join("")).toMatch(/back-fill done/);

        // Re-applying the same spec, or a new objective on the same source, fetches nothing twice.
        expect(await apply(t, histSpec(prometheus.url), "slos/history.yaml")).toEqual([
          { id: "shop/history", outcome: "unchanged" },
        ]);
        expect(await apply(t, histSpec(prometheus.url, 96), "slos/history.yaml")).toEqual([
          { id: "shop/history", outcome: "updated" },
        ]);
        await t.slo.sources.run(HIST_END + 1_000);
        await t.slo.sources.run();
        const again = await detail(t, "history");
        expect(again.summary.budget.spent).toBeCloseTo(HIST_BAD, 6);
        expect(again.summary.budget.allowed).toBeCloseTo(0.04 * HIST_TOTAL, 6);
      }, 90_000);

      it("a PromQL syntax error shows on the SLO as no data with Prometheus' message, and pages nobody", async () => {
        await apply(t, brokenSpec(prometheus.url), "slos/broken.yaml");
        await t.slo.sources.run();
        await t.slo.sources.run();
        const d = await detail(t, "broken");
        expect(d.summary.state).toBe("no data");
        expect(d.summary.source?.state).toBe("error");
        expect(d.summary.source?.error).toMatchObject({
          kind: "query",
          code: "NINES_ERR_PROMQL_QUERY_FAILED",
          failures: 2,
        });
        expect(d.summary.source?.error?.message).toMatch(/^PromQL bad_data: .*parse error/);
        expect(d.summary.source?.condition).toMatchObject({ name: "source-error", severity: "ticket" });
        const events = await t.slo.runtime.tick();
        expect(events.filter((e) => e.sloId === "shop/broken")).toEqual([]);
        const noData = await t.app.inject({ method: "GET", url: "/api/v1/slos?state=no%20data" });
        expect((noData.json() as SloSummary[]).map((s) => s.id)).toContain("shop/broken");
        // The other SLOs on the same backend are not affected.
        expect((await detail(t, "live")).summary.source?.state).toBe("ok");
      }, 60_000);
    });
  }

  describe("backend outage (sqlite)", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ slo: { pullStepSeconds: 5, pullDelaySeconds: 1 } });
    });
    afterAll(() => t?.close());

    it("`nines slo backtest SPEC --from --to` replays the Prometheus range through the alert policy", async () => {
      const file = join(dir, "history.yaml");
      writeFileSync(file, histSpec(prometheus.url));
      const result = await runNinesAsync([
        "slo",
        "backtest",
        file,
        "--from",
        String(HIST_START / 1000),
        "--to",
        new Date(HIST_END).toISOString(),
        "--step",
        "1m",
        "--output",
        "json",
      ]);
      expect(result.status, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as {
        events: { line: string; state: string; at: number }[];
        summary: { samples: number; budgetConsumed: number; pages: number };
      };
      expect(out.summary.samples).toBe(300);
      expect(out.summary.budgetConsumed).toBeCloseTo(HIST_BAD / (0.05 * HIST_TOTAL), 6);
      const firstPage = out.events.find((e) => e.state === "firing" && e.line === "page-slow");
      expect(firstPage?.at).toBeGreaterThan(HIST_START + 199 * MINUTE);
      expect(firstPage?.at).toBeLessThanOrEqual(HIST_START + 210 * MINUTE);
      expect(out.summary.pages).toBeGreaterThanOrEqual(1);
    }, 90_000);

    it("backtest of a spec without a Prometheus source or --from is a usage error", async () => {
      const file = join(dir, "history.yaml");
      writeFileSync(file, histSpec(prometheus.url));
      const result = await runNinesAsync(["slo", "backtest", file]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(
        "give --from (and --to) to read the Prometheus source, or --data FILE.csv",
      );
    }, 60_000);

    it("a backend that goes down makes the SLO 'no data' (not ok, no page) until it answers again", async () => {
      await apply(t, liveSpec(prometheus.url), "slos/live.yaml");
      await pullUntil(
        t,
        "live",
        (s) => s.state === "ok" && (s.source?.lastSampleAt ?? 0) > Date.now() - 20_000,
      );

      await prometheus.stop();
      // The next whole step is pulled and fails.
      const down = await pullUntil(t, "live", (s) => s.source?.state === "error");
      expect(down.state).toBe("no data");
      expect(down.source?.state).toBe("error");
      expect(down.source?.error).toMatchObject({ kind: "unreachable", code: "NINES_ERR_PROMQL_UNAVAILABLE" });
      expect(down.source?.error?.message).toContain(`cannot reach ${prometheus.url}: connect ECONNREFUSED`);
      expect(down.source?.condition?.severity).toBe("ticket");
      const events = await t.slo.runtime.tick();
      expect(events.filter((e) => e.severity === "page")).toEqual([]);
      expect(t.logs.join("")).toMatch(/SLI source failed/);

      await prometheus.start();
      const back = await pullUntil(t, "live", (s) => s.source?.state === "ok");
      expect(back.state).toBe("ok");
      expect(back.source?.error).toBeNull();
      expect(back.sli).toBeCloseTo(0.99, 9);
    }, 120_000);
  });
});
