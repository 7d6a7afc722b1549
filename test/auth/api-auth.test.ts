import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseToken } from "../../src/auth/token.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

const json = { "content-type": "application/json" };
const newToken = JSON.stringify({ name: "ci", scope: "write" });

describe("API authentication and scopes", () => {
  let t: TestApp;
  let tokens: { read: string; write: string; admin: string };
  beforeAll(async () => {
    t = await createTestApp({ auth: { maxFailuresPerMinute: 5 } });
    tokens = { read: await t.token("read"), write: await t.token("write"), admin: await t.token("admin") };
  });
  afterAll(() => t.close());

  const createToken = (authorization?: string, ip = "10.0.0.1") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: newToken,
      remoteAddress: ip,
      headers: { ...json, ...(authorization ? { authorization } : {}) },
    });

  it("answers 401 to a write without a token", async () => {
    const response = await createToken(undefined);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("NINES_ERR_AUTH_UNAUTHENTICATED");
  });

  it("answers 401 to a wrong token of the right shape", async () => {
    const forged = tokens.admin.slice(0, -4) + (tokens.admin.endsWith("AAAA") ? "BBBB" : "AAAA");
    const response = await createToken(`Bearer ${forged}`, "10.0.0.2");
    expect(response.statusCode).toBe(401);
  });

  it("answers 403 to a read token on a write and to a write token on an admin route", async () => {
    const read = await createToken(`Bearer ${tokens.read}`);
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe("NINES_ERR_AUTH_FORBIDDEN");
    const write = await createToken(`Bearer ${tokens.write}`);
    expect(write.statusCode).toBe(403);
  });

  it("lets an admin token create a token that works at once", async () => {
    const response = await createToken(`Bearer ${tokens.admin}`);
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.token).toMatch(/^nines_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const who = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/whoami",
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(who.json()).toMatchObject({ authenticated: true, name: "ci", scope: "write" });
  });

  it("stores only the hash of a token, never the token", async () => {
    const rows = await t.database.handle.db.selectFrom("api_tokens").selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const token of Object.values(tokens)) {
      expect(stored).not.toContain(parseToken(token)!.secret);
    }
  });

  it("refuses a revoked token", async () => {
    const created = (await createToken(`Bearer ${tokens.admin}`)).json();
    const revoke = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${created.info.id}`,
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(revoke.statusCode).toBe(200);
    const after = await t.app.inject({
      method: "GET",
      url: "/api/v1/version",
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it("answers 429 with Retry-After after repeated failures from one address, and not to others", async () => {
    const ip = "10.9.9.9";
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await createToken("Bearer nines_0000000000000000_wrong", ip)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await createToken(`Bearer ${tokens.admin}`, ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await createToken(`Bearer ${tokens.admin}`, "10.9.9.10")).statusCode).toBe(201);
  });

  it("never writes a token or a session cookie into the log", async () => {
    await t.app.inject({
      method: "GET",
      url: "/api/v1/version",
      headers: { authorization: `Bearer ${tokens.read}` },
    });
    const signIn = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/session",
      payload: { token: tokens.write },
    });
    const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
    await t.app.inject({ method: "GET", url: "/api/v1/version", headers: { cookie } });
    await t.app.inject({
      method: "POST",
      url: `/api/v1/integrations/alertmanager?token=${tokens.write}`,
      payload: {},
    });
    const log = t.logs.join("");
    expect(log).toContain("token=[redacted]");
    expect(log.length).toBeGreaterThan(0);
    for (const token of Object.values(tokens)) expect(log).not.toContain(token);
    expect(log).not.toContain(cookie.split("=")[1]);
  });
});

describe("web sessions", () => {
  let t: TestApp;
  let write: string;
  beforeAll(async () => {
    t = await createTestApp();
    write = await t.token("write");
  });
  afterAll(() => t.close());

  const signIn = async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/session",
      payload: { token: write },
    });
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers["set-cookie"]);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    return setCookie.split(";")[0]!;
  };

  it("accepts a cookie-authenticated write from the same origin", async () => {
    const cookie = await signIn();
    const response = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/auth/session",
      headers: { cookie, origin: "http://localhost:80", host: "localhost:80" },
    });
    expect(response.statusCode).toBe(204);
  });

  it("refuses a cookie-authenticated write from another origin with 403 (CSRF)", async () => {
    const cookie = await signIn();
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: newToken,
      headers: { ...json, cookie, origin: "https://evil.example", host: "localhost:80" },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("NINES_ERR_AUTH_CSRF");
  });

  it("refuses a cookie-authenticated write without any Origin or Referer", async () => {
    const cookie = await signIn();
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: newToken,
      headers: { ...json, cookie },
    });
    expect(response.statusCode).toBe(403);
  });

  it("ends the session on sign-out", async () => {
    const cookie = await signIn();
    await t.app.inject({
      method: "DELETE",
      url: "/api/v1/auth/session",
      headers: { cookie, origin: "http://localhost:80", host: "localhost:80" },
    });
    const who = await t.app.inject({ method: "GET", url: "/api/v1/auth/whoami", headers: { cookie } });
    expect(who.statusCode).toBe(401);
  });
});

describe("auth.requireTokenForReads", () => {
  it("lets anyone read when off, and requires a token for reads when on", async () => {
    const open = await createTestApp();
    const closed = await createTestApp({ auth: { requireTokenForReads: true } });
    try {
      expect((await open.app.inject({ method: "GET", url: "/api/v1/version" })).statusCode).toBe(200);
      expect((await closed.app.inject({ method: "GET", url: "/api/v1/version" })).statusCode).toBe(401);
      const read = await closed.token("read");
      const ok = await closed.app.inject({
        method: "GET",
        url: "/api/v1/version",
        headers: { authorization: `Bearer ${read}` },
      });
      expect(ok.statusCode).toBe(200);
      expect((await closed.app.inject({ method: "GET", url: "/api/v1/health" })).statusCode).toBe(200);
    } finally {
      await open.close();
      await closed.close();
    }
  });
});
