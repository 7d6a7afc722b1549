import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ratioSpec } from "../support/specs.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

const spec = (target: number, name = "availability") =>
  ratioSpec({ name, target, team: "payments", description: "Checkout requests answered without a 5xx." });

describe("SLO API", () => {
  let t: TestApp;
  let auth: { authorization: string };
  const now = Date.now();
  beforeAll(async () => {
    t = await createTestApp();
    auth = { authorization: `Bearer ${await t.token("write")}` };
  });
  afterAll(() => t.close());

  const apply = (text: string, path = "slos/checkout.yaml") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/slos/apply",
      headers: auth,
      payload: { files: [{ path, text }] },
    });
  const push = (samples: unknown[], cumulative?: boolean) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/sli/samples",
      headers: auth,
      payload: { samples, ...(cumulative ? { cumulative } : {}) },
    });
  const sampleCount = async () =>
    Number(
      (
        await t.database.handle.db
          .selectFrom("sli_sample_batches")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("applies a spec once, leaves an identical one unchanged and versions a change", async () => {
    expect((await apply(spec(99.9))).json().results).toEqual([
      { id: "checkout/availability", outcome: "created" },
    ]);
    expect((await apply(spec(99.9))).json().results).toEqual([
      { id: "checkout/availability", outcome: "unchanged" },
    ]);
    expect((await apply(spec(99.5))).json().results).toEqual([
      { id: "checkout/availability", outcome: "updated" },
    ]);
    expect((await apply(spec(99.9))).json().results[0].outcome).toBe("updated");
    const versions = (
      await t.app.inject({ method: "GET", url: "/api/v1/slos/checkout/availability/versions" })
    ).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions[1].yaml).toContain("99.5");
  });

  it("refuses a 100% target with the file, line and field, and stores nothing", async () => {
    const response = await apply(spec(100, "perfect"), "slos/perfect.yaml");
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe("NINES_ERR_SLO_SPEC_INVALID");
    const diagnostic = body.error.details.diagnostics.find(
      (d: { severity: string }) => d.severity === "error",
    );
    expect(diagnostic).toMatchObject({ file: "slos/perfect.yaml", line: 13 });
    expect(diagnostic.path).toContain("target");
    expect((await t.app.inject({ method: "GET", url: "/api/v1/slos/checkout/perfect" })).statusCode).toBe(
      404,
    );
  });

  it("rejects a whole batch naming each bad sample's index, and stores none of it", async () => {
    const before = await sampleCount();
    const response = await push([
      { slo: "checkout/availability", ts: now - 60_000, good: 10, total: 10 },
      { slo: "checkout/nothing", ts: now - 60_000, good: 1, total: 1 },
      { slo: "checkout/availability", ts: now - 50_000, good: 11, total: 10 },
      { slo: "checkout/availability", ts: now + 3_600_000, good: 1, total: 1 },
      { slo: "checkout/availability", ts: now - 40_000, good: 1, bad: 0, total: 1 },
    ]);
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details as { index: number; message: string }[];
    expect(details.map((d) => d.index)).toEqual([1, 2, 3, 4]);
    expect(details[0]!.message).toContain("unknown SLO");
    expect(details[1]!.message).toContain("larger than total");
    expect(details[2]!.message).toContain("future");
    expect(details[3]!.message).toContain("exactly one of good or bad");
    expect(await sampleCount()).toBe(before);
  });

  it("answers a body that is not JSON, or none, as every route does", async () => {
    for (const payload of ['{"samples":[{"slo":"checkout/availability","ts":1,', ""]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/sli/samples",
        headers: { ...auth, "content-type": "application/json" },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe("NINES_ERR_REQUEST_BAD_JSON");
    }
  });

  it("names a malformed sample field from the schema", async () => {
    const response = await push([{ slo: "checkout/availability", ts: "yesterday", good: 1, total: 1 }]);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().error.details)).toContain("body.samples[0].ts");
  });

  it("pages on a full outage within the 1 h / 5 m line's detection time, and not before traffic", async () => {
    // Two hours of clean traffic, then 60 s of total failure, at 10 s intervals.
    const samples = [];
    for (let ts = now - 7_200_000; ts <= now - 60_000; ts += 10_000)
      samples.push({ slo: "checkout/availability", ts, good: 100, total: 100 });
    expect((await push(samples)).json()).toEqual({ accepted: samples.length, unchanged: 0 });
    expect(await t.slo.runtime.tick(now - 60_000)).toEqual([]);

    const outage = [];
    for (let ts = now - 50_000; ts <= now; ts += 10_000)
      outage.push({ slo: "checkout/availability", ts, bad: 100, total: 100 });
    await push(outage);
    const events = await t.slo.runtime.tick(now);
    const detail = (await t.app.inject({ method: "GET", url: "/api/v1/slos/checkout/availability" })).json();
    const fastLine = detail.spec.alerting.lines.find(
      (l: { longWindowMs: number }) => l.longWindowMs === 3_600_000,
    );
    expect(fastLine).toMatchObject({ severity: "page", burnRate: 14.4, shortWindowMs: 300_000 });
    const page = events.find((e) => e.line === fastLine.name && e.state === "firing");
    expect(page).toBeDefined();
    expect(page!.burnRates.short).toBeGreaterThan(14.4);

    const alerts = (
      await t.app.inject({ method: "GET", url: "/api/v1/slos/checkout/availability/alerts" })
    ).json();
    expect(alerts).toContainEqual(
      expect.objectContaining({
        sloId: "checkout/availability",
        line: fastLine.name,
        severity: "page",
        state: "firing",
      }),
    );

    const everySlo = (await t.app.inject({ method: "GET", url: "/api/v1/slo-alerts?limit=10" })).json();
    expect(everySlo.map((a: { sloId: string; line: string }) => `${a.sloId} ${a.line}`)).toContain(
      `checkout/availability ${fastLine.name}`,
    );

    const list = (await t.app.inject({ method: "GET", url: "/api/v1/slos?state=page" })).json();
    expect(list.map((s: { id: string }) => s.id)).toEqual(["checkout/availability"]);
  });

  it("counts a retried batch once", async () => {
    const batch = [{ slo: "checkout/availability", ts: now - 3_000_000, good: 100, total: 100 }];
    const first = (await push(batch)).json();
    const before = t.slo.runtime.sli.sum("checkout/availability", now - 7_300_000, now);
    const retry = (await push(batch)).json();
    const after = t.slo.runtime.sli.sum("checkout/availability", now - 7_300_000, now);
    expect(first).toEqual({ accepted: 0, unchanged: 1 });
    expect(retry).toEqual({ accepted: 0, unchanged: 1 });
    expect(after).toEqual(before);
  });

  it("serves chart points with SLI, budget remaining and a burn rate per alert window", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/v1/slos/checkout/availability/series?from=${now - 3_600_000}&to=${now}&step=60000`,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.points).toHaveLength(60);
    expect(body.windows.map((w: { name: string }) => w.name)).toEqual([
      "5m",
      "30m",
      "1h",
      "2h",
      "6h",
      "1d",
      "3d",
    ]);
    const last = body.points.at(-1);
    expect(last.sli).toBe(0);
    expect(last.burnRates[0]).toBeGreaterThan(14.4);
    expect(body.points[0].sli).toBe(1);
    expect(body.points[0].budgetRemaining).toBe(1);
  });

  it("gives back the budget an excluded range spent, and audits the adjustment", async () => {
    const detail = (await t.app.inject({ method: "GET", url: "/api/v1/slos/checkout/availability" })).json();
    expect(detail.summary.budgetRemaining).toBeLessThan(0.95);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/slos/checkout/availability/adjustments",
      headers: auth,
      payload: { from: now - 120_000, to: now, reason: "payment provider outage, not ours" },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().budgetRemaining).toBe(1);
    const audit = await t.database.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "slo.budget.adjust")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("turns cumulative counters into interval counts across a counter reset", async () => {
    await apply(spec(99, "counters"));
    const id = "checkout/counters";
    const readings = [
      { ts: now - 40_000, good: 1000, total: 1000 },
      { ts: now - 30_000, good: 1090, total: 1100 },
      { ts: now - 20_000, good: 50, total: 60 },
    ];
    const response = await push(
      readings.map((r) => ({ slo: id, ...r })),
      true,
    );
    expect(response.json()).toEqual({ accepted: 2, unchanged: 1 });
    const sum = t.slo.runtime.sli.sum(id, now - 60_000, now);
    expect(sum).toMatchObject({ good: 90 + 50, total: 100 + 60 });
  });

  it("reads latency samples from histogram buckets at the SLO's threshold", async () => {
    const latency = `apiVersion: nines/v1
kind: SLO
metadata:
  name: latency
spec:
  service: checkout
  sli:
    latency:
      thresholdSeconds: 0.3
      buckets: [0.1, 0.3, 1]
  objective:
    target: 99
  window:
    rolling: 28d
`;
    expect((await apply(latency, "slos/latency.yaml")).statusCode).toBe(200);
    const ok = await push([
      {
        slo: "checkout/latency",
        ts: now - 30_000,
        buckets: { "0.1": 700, "0.3": 950, "1": 990, "+Inf": 1000 },
      },
    ]);
    expect(ok.json()).toEqual({ accepted: 1, unchanged: 0 });
    expect(t.slo.runtime.sli.sum("checkout/latency", now - 60_000, now)).toMatchObject({
      good: 950,
      total: 1000,
    });
    const bad = await push([
      { slo: "checkout/latency", ts: now - 20_000, buckets: { "0.25": 1, "+Inf": 2 } },
      { slo: "checkout/latency", ts: now - 20_000, buckets: { "0.3": 5, "+Inf": 2 } },
      { slo: "checkout/latency", ts: now - 20_000, good: 1, total: 1 },
    ]);
    const reasons = bad.json().error.details.map((d: { message: string }) => d.message);
    expect(reasons[0]).toContain('le="0.3"');
    expect(reasons[1]).toContain("cumulative");
    expect(reasons[2]).toContain("latency SLI");
  });

  it("sends a plain batch with a sample out of bounds or for a latency SLI down the full path, which names the sample", async () => {
    const before = await sampleCount();
    const future = await push([
      { slo: "checkout/availability", ts: now - 10_000, good: 1, total: 1 },
      { slo: "checkout/availability", ts: now + 3_600_000, good: 1, total: 1 },
    ]);
    expect(future.json().error.details).toEqual([
      expect.objectContaining({ index: 1, message: expect.stringContaining("future") }),
    ]);
    const latency = await push([{ slo: "checkout/latency", ts: now - 10_000, good: 1, total: 1 }]);
    expect(latency.json().error.details[0].message).toContain("latency SLI");
    expect(await sampleCount()).toBe(before);
  });

  it("stores the same sums whether a batch is read from its bytes or parsed in full", async () => {
    await apply(spec(99, "plain"), "slos/plain.yaml");
    await apply(spec(99, "parsed"), "slos/parsed.yaml");
    const counts = Array.from({ length: 50 }, (_, i) => ({
      ts: now - 600_000 + i * 10_000,
      good: 100 - (i % 7) - 0.25,
      total: 100,
    }));
    const plain = await push(counts.map((c) => ({ slo: "checkout/plain", ...c })));
    // An RFC 3339 timestamp is outside the plain form: this batch takes the full path.
    const parsed = await push(
      counts.map((c) => ({ slo: "checkout/parsed", ...c, ts: new Date(c.ts).toISOString() })),
    );
    expect([plain.json(), parsed.json()]).toEqual([
      { accepted: 50, unchanged: 0 },
      { accepted: 50, unchanged: 0 },
    ]);
    const sum = (id: string) => t.slo.runtime.sli.sum(id, now - 3_600_000, now);
    expect(sum("checkout/plain")).toEqual(sum("checkout/parsed"));
    expect(sum("checkout/plain").total).toBe(5000);
  });

  it("counts samples that arrive inside an excluded range as good", async () => {
    await apply(spec(99, "maintenance"), "slos/maintenance.yaml");
    const excluded = await t.app.inject({
      method: "POST",
      url: "/api/v1/slos/checkout/maintenance/adjustments",
      headers: auth,
      payload: { from: now - 60_000, to: now + 600_000, reason: "planned database failover" },
    });
    expect(excluded.statusCode).toBe(201);
    await push([
      { slo: "checkout/maintenance", ts: now - 120_000, good: 90, total: 100 },
      { slo: "checkout/maintenance", ts: now - 30_000, good: 0, total: 100 },
    ]);
    expect(t.slo.runtime.sli.sum("checkout/maintenance", now - 3_600_000, now + 60_000)).toMatchObject({
      good: 190,
      total: 200,
    });
  });

  it("answers 404 for an SLO that does not exist", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/slos/checkout/nope" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("NINES_ERR_SLO_NOT_FOUND");
  });
});
