import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { type FakeServer, startSignedWebhook } from "./fake-receivers.js";

const SECRET = "whsec-0123456789abcdef";
const SLACK = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX";
const ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6";
const SMTP_PASSWORD = "smtp-pass-never-shown";

describe("receivers and notifications API", () => {
  let t: TestApp;
  let admin: string;
  let writer: string;
  let hook: FakeServer;
  beforeAll(async () => {
    t = await createTestApp({ notifications: { allowedHosts: ["127.0.0.1"] } });
    admin = await t.token("admin");
    writer = await t.token("write");
    hook = await startSignedWebhook(SECRET);
  });
  afterAll(async () => {
    await hook.close();
    await t.close();
  });
  const call = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, payload?: unknown, token = admin) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });

  it("creates one receiver of each type and never returns or logs their secrets", async () => {
    const bodies = [
      {
        name: "hook",
        type: "webhook",
        config: { url: hook.url, secret: SECRET, headers: { "X-Team": "payments" } },
      },
      { name: "slack-oncall", type: "slack", config: { url: SLACK } },
      { name: "pd", type: "pagerduty", config: { routingKey: ROUTING_KEY } },
      { name: "am", type: "alertmanager", config: { url: "https://alertmanager.example.com:9093" } },
      {
        name: "mail",
        type: "email",
        config: {
          to: ["oncall@example.com"],
          smtp: {
            host: "smtp.example.com",
            port: 587,
            username: "u",
            password: SMTP_PASSWORD,
            from: "n@example.com",
          },
        },
      },
    ];
    for (const body of bodies) {
      const res = await call("POST", "/api/v1/receivers", body);
      expect(res.statusCode, res.body).toBe(201);
    }
    const list = await call("GET", "/api/v1/receivers", undefined, writer);
    expect(list.statusCode).toBe(200);
    const text = list.body;
    for (const secret of [SECRET, SLACK, ROUTING_KEY, SMTP_PASSWORD, "payments"])
      expect(text).not.toContain(secret);
    const byName = Object.fromEntries(
      (list.json() as { name: string; config: Record<string, unknown> }[]).map((r) => [r.name, r.config]),
    );
    expect(byName["hook"]).toEqual({ url: hook.url, secret: "********", headers: { "X-Team": "********" } });
    expect(byName["slack-oncall"]).toEqual({ url: "https://hooks.slack.com/********" });
    expect(byName["pd"]).toEqual({ routingKey: "********" });
    expect((byName["mail"] as { smtp: { password: string } }).smtp.password).toBe("********");
    const one = await call("GET", "/api/v1/receivers/pd");
    expect(one.json()).toMatchObject({
      name: "pd",
      type: "pagerduty",
      config: { routingKey: "********" },
      updatedBy: "test-admin",
    });
    for (const secret of [SECRET, SLACK, ROUTING_KEY, SMTP_PASSWORD])
      expect(t.logs.join("")).not.toContain(secret);
  });

  it("keeps a stored secret when a GET result is sent back with the mask, and replaces it when a new one is sent", async () => {
    const got = (await call("GET", "/api/v1/receivers/hook")).json() as {
      type: string;
      config: Record<string, unknown>;
    };
    const res = await call("PUT", "/api/v1/receivers/hook", {
      type: got.type,
      config: got.config,
      description: "signed",
    });
    expect(res.statusCode, res.body).toBe(200);
    const stored = await t.domains.notifications.receivers.get("hook");
    expect(stored!.config).toMatchObject({ secret: SECRET, headers: { "X-Team": "payments" } });
    await call("PUT", "/api/v1/receivers/hook", {
      type: "webhook",
      config: { url: hook.url, secret: "another-secret-value-1234" },
    });
    expect((await t.domains.notifications.receivers.get("hook"))!.config).toEqual({
      url: hook.url,
      secret: "another-secret-value-1234",
    });
    await call("PUT", "/api/v1/receivers/hook", {
      type: "webhook",
      config: { url: hook.url, secret: SECRET },
    });
  });

  it.each([
    [{ name: "x", type: "webhook", config: { url: "ftp://example.com/hook" } }, "config.url"],
    [
      { name: "x", type: "webhook", config: { url: "http://169.254.169.254/latest/meta-data" } },
      "config.url",
    ],
    [{ name: "x", type: "webhook", config: { url: "https://user:pass@example.com/" } }, "config.url"],
    [
      { name: "x", type: "webhook", config: { url: "https://example.com", secret: "short" } },
      "config.secret",
    ],
    [{ name: "x", type: "pagerduty", config: {} }, "config.routingKey"],
    [{ name: "x", type: "pagerduty", config: { routingKey: "k", severity: "high" } }, "config.severity"],
    [{ name: "x", type: "email", config: { to: ["not-an-address"] } }, "config.to[0]"],
    [{ name: "x", type: "sms", config: {} }, "body.type"],
    [{ name: "Bad Name", type: "slack", config: { url: SLACK } }, "body.name"],
    [{ name: "x", type: "slack", config: { url: SLACK }, colour: "red" }, "body.colour"],
  ])("refuses a malformed receiver %j with 400 naming %s", async (body, field) => {
    const res = await call("POST", "/api/v1/receivers", body);
    expect(res.statusCode, res.body).toBe(400);
    const error = res.json() as { error: { message: string; details: { path: string }[] } };
    expect(error.error.details.map((d) => d.path)).toContain(field);
    expect(error.error.message).toContain(field.replace(/^body\./, ""));
    expect((await call("GET", "/api/v1/receivers/x")).statusCode).toBe(404);
  });

  it("needs an admin token to change receivers, answers 409 for a taken name and 404 for a missing one", async () => {
    const body = { name: "other", type: "slack", config: { url: SLACK } };
    expect((await call("POST", "/api/v1/receivers", body, writer)).statusCode).toBe(403);
    expect((await call("DELETE", "/api/v1/receivers/hook", undefined, writer)).statusCode).toBe(403);
    expect((await call("POST", "/api/v1/receivers", { ...body, name: "pd" })).statusCode).toBe(409);
    expect(
      (await call("PUT", "/api/v1/receivers/none", { type: "slack", config: { url: SLACK } })).statusCode,
    ).toBe(404);
    expect((await call("POST", "/api/v1/receivers", body)).statusCode).toBe(201);
    expect((await call("DELETE", "/api/v1/receivers/other")).statusCode).toBe(204);
    expect((await call("DELETE", "/api/v1/receivers/other")).statusCode).toBe(404);
  });

  it("queues test notifications, delivers them and shows each attempt", async () => {
    const res = await call("POST", "/api/v1/notifications/test", { receiver: "hook", count: 3 });
    expect(res.statusCode, res.body).toBe(202);
    const { subject, count } = res.json() as { subject: string; count: number };
    expect(count).toBe(3);
    expect((await call("POST", "/api/v1/notifications/test", { receiver: "hook" }, writer)).statusCode).toBe(
      403,
    );
    expect((await call("POST", "/api/v1/notifications/test", { receiver: "nope" })).statusCode).toBe(404);
    await t.domains.notifications.worker.runOnce();
    const list = await call("GET", `/api/v1/notifications?subject=${subject}`, undefined, writer);
    const rows = list.json() as { id: number; status: string; dedupKey: string }[];
    expect(rows.map((r) => r.status)).toEqual(["delivered", "delivered", "delivered"]);
    expect(new Set(hook.requests.slice(-3).map((r) => r.headers["idempotency-key"]))).toEqual(
      new Set(rows.map((r) => r.dedupKey)),
    );
    const detail = await call("GET", `/api/v1/notifications/${rows[0]!.id}`);
    expect(detail.json()).toMatchObject({
      status: "delivered",
      target: { type: "receiver", receiverId: "hook" },
      attemptLog: [{ attempt: 1, receiver: "hook", outcome: "success", statusCode: 204 }],
    });
    expect((await call("GET", "/api/v1/notifications?status=failed")).json()).toEqual([]);
    expect((await call("GET", "/api/v1/notifications?status=lost")).statusCode).toBe(400);
    expect((await call("GET", "/api/v1/notifications/999999")).statusCode).toBe(404);
  });
});
