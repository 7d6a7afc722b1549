import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promtool } from "../support/promtool.js";
import { toolAvailable } from "../support/system-tools.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

describe("system routes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("answers liveness and readiness with the database engine and no pending migrations", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/health" })).json()).toEqual({ status: "ok" });
    const ready = await t.app.inject({ method: "GET", url: "/api/v1/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: "ready",
      database: { dialect: "sqlite", reachable: true, pendingMigrations: [] },
    });
  });

  it("serves /metrics in the Prometheus text format, with request counts by route and status", async () => {
    await t.app.inject({ method: "GET", url: "/api/v1/health" });
    await t.app.inject({ method: "POST", url: "/api/v1/tokens", payload: {} });
    const response = await t.app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/plain");
    const text = response.body;
    expect(text).toMatch(
      /nines_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /nines_http_requests_total\{method="POST",route="\/api\/v1\/tokens",status="401"\} 1/,
    );
    expect(text).toMatch(/nines_db_query_duration_seconds_bucket\{/);
    expect(text).toMatch(/nines_process_resident_memory_bytes \d+/);
  });

  it.skipIf(!toolAvailable("promtool"))(
    "serves /metrics that the real promtool check metrics accepts",
    async () => {
      const text = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
      const check = promtool(["check", "metrics"], text);
      expect(check.output).not.toMatch(/error/i);
      expect(check.status).toBe(0);
    },
  );

  it("publishes an OpenAPI 3 document generated from the route schemas", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/health", "/api/v1/tokens", "/api/v1/auth/session"]),
    );
    const create = doc.paths["/api/v1/tokens"].post;
    const schema = create.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["name", "scope"]);
    expect(schema.additionalProperties).toBe(false);
    expect(doc.components.securitySchemes.bearer.scheme).toBe("bearer");
  });

  it("renders the API reference at /api/docs", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/docs/" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("swagger");
  });

  it("serves the web UI's index for app paths and JSON errors for API paths", async () => {
    const page = await t.app.inject({ method: "GET", url: "/slos?service=checkout" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="app">');
    const api = await t.app.inject({ method: "GET", url: "/api/v1/unknown" });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("NINES_ERR_REQUEST_NOT_FOUND");
  });
});
