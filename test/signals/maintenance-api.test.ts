import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.js";

describe("maintenance windows API", () => {
  let t: TestApp;
  let write: string;
  let read: string;
  beforeAll(async () => {
    t = await createTestApp();
    write = await t.token("write");
    read = await t.token("read");
  });
  afterAll(() => t.close());

  const call = (method: "GET" | "POST" | "DELETE", url: string, token?: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const count = async () =>
    (await t.database.handle.db.selectFrom("maintenance_windows").select("id").execute()).length;
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);

  it("plans a window that is on now, lists it by state, and deletes it", async () => {
    const now = Date.now();
    const created = await call("POST", "/api/v1/maintenance-windows", write, {
      service: "db",
      start: local(now - 3_600_000),
      end: local(now + 3_600_000),
      reason: "PostgreSQL 17 upgrade",
      outcomes: ["ticket", "log"],
    });
    expect(created.statusCode).toBe(201);
    const w = created.json();
    expect(w).toMatchObject({
      service: "db",
      timeZone: "UTC",
      state: "active",
      createdBy: "test-write",
      outcomes: ["ticket", "log"],
    });
    expect((await t.domains.tickets.maintenance.active(Date.now())).map((x) => x.id)).toEqual([w.id]);
    expect(
      (await call("GET", "/api/v1/maintenance-windows?state=active")).json().map((x: { id: string }) => x.id),
    ).toEqual([w.id]);
    expect((await call("GET", "/api/v1/maintenance-windows?state=past")).json()).toEqual([]);
    expect((await call("DELETE", `/api/v1/maintenance-windows/${w.id}`, read)).statusCode).toBe(403);
    expect((await call("DELETE", `/api/v1/maintenance-windows/${w.id}`, write)).statusCode).toBe(204);
    expect((await call("DELETE", `/api/v1/maintenance-windows/${w.id}`, write)).statusCode).toBe(404);
  });

  it("answers 400 naming the field for a malformed window, and stores nothing", async () => {
    const before = await count();
    const base = { service: "db", start: "2026-06-01T22:00", end: "2026-06-02T02:00", reason: "x" };
    const cases: [unknown, string][] = [
      [{ ...base, end: "2026-06-01T21:00" }, "body.end"],
      [{ ...base, start: "2026-06-01 22:00" }, "body.start"],
      [{ ...base, timeZone: "Europe/Atlantis" }, "body.timeZone"],
      [{ ...base, outcomes: ["pager"] }, "body.outcomes[0]"],
      [{ ...base, reason: " " }, "body.reason"],
      [{ ...base, service: undefined }, "body.service"],
      [{ ...base, recurrence: "daily" }, "body.recurrence"],
    ];
    for (const [payload, path] of cases) {
      const response = await call("POST", "/api/v1/maintenance-windows", write, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(
        response.json().error.details.map((d: { path: string }) => d.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
    expect((await call("POST", "/api/v1/maintenance-windows", read, base)).statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
});
