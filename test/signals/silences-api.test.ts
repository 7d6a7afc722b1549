import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.js";

const H = 3_600_000;

describe("silences API", () => {
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
  const count = async () => (await t.database.handle.db.selectFrom("silences").select("id").execute()).length;

  it("creates a silence for a duration, active now, authored by the token, and the pipeline sees it", async () => {
    const response = await call("POST", "/api/v1/silences", write, {
      matchers: ['service="db"', "severity=~warning|info"],
      duration: "2h",
      comment: "failover drill",
    });
    expect(response.statusCode).toBe(201);
    const s = response.json();
    expect(s).toMatchObject({
      matchers: ['service="db"', 'severity=~"warning|info"'],
      state: "active",
      createdBy: "test-write",
      comment: "failover drill",
    });
    expect(s.endsAt - s.startsAt).toBe(2 * H);
    const active = await t.domains.tickets.silences.active(Date.now());
    expect(active.map((x) => x.id)).toContain(s.id);
  });

  it("lists silences by state and expires one", async () => {
    const now = Date.now();
    const pending = (
      await call("POST", "/api/v1/silences", write, {
        matchers: ['service="web"'],
        startsAt: now + H,
        endsAt: now + 2 * H,
        comment: "deploy window",
      })
    ).json();
    expect(pending.state).toBe("pending");
    const listed = (await call("GET", "/api/v1/silences?state=pending")).json();
    expect(listed.map((x: { id: string }) => x.id)).toEqual([pending.id]);
    const expired = await call("DELETE", `/api/v1/silences/${pending.id}`, write);
    expect(expired.statusCode).toBe(200);
    expect(expired.json().state).toBe("expired");
    expect(
      (await call("GET", "/api/v1/silences?state=expired")).json().map((x: { id: string }) => x.id),
    ).toEqual([pending.id]);
    expect((await call("DELETE", "/api/v1/silences/no-such", write)).json().error.code).toBe(
      "NINES_ERR_SIGNALS_SILENCE_NOT_FOUND",
    );
  });

  it("answers 400 naming the field for a silence with no matchers, a bad one, or an end before its start, and stores nothing", async () => {
    const before = await count();
    const now = Date.now();
    const cases: [unknown, string][] = [
      [{ matchers: [], duration: "1h", comment: "x" }, "body.matchers"],
      [{ matchers: ['env=~".*"'], duration: "1h", comment: "x" }, "body.matchers"],
      [{ matchers: ["not a matcher"], duration: "1h", comment: "x" }, "body.matchers[0]"],
      [{ matchers: ['service="db"'], startsAt: now, endsAt: now - 1, comment: "x" }, "body.endsAt"],
      [{ matchers: ['service="db"'], comment: "x" }, "body.endsAt"],
      [{ matchers: ['service="db"'], duration: "1h", endsAt: now + H, comment: "x" }, "body.duration"],
      [{ matchers: ['service="db"'], duration: "2 hours", comment: "x" }, "body.duration"],
      [{ matchers: ['service="db"'], duration: "1h", comment: "" }, "body.comment"],
      [{ matchers: ['service="db"'], duration: "1h" }, "body.comment"],
    ];
    for (const [payload, path] of cases) {
      const response = await call("POST", "/api/v1/silences", write, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const error = response.json().error;
      expect(
        error.details.map((d: { path: string }) => d.path),
        JSON.stringify(payload),
      ).toContain(path);
      expect(error.message).toContain(path);
    }
    expect(await count()).toBe(before);
  });

  it("lets a read token list silences but not create or expire one", async () => {
    const before = await count();
    expect((await call("GET", "/api/v1/silences", read)).statusCode).toBe(200);
    const body = { matchers: ['service="db"'], duration: "1h", comment: "x" };
    expect((await call("POST", "/api/v1/silences", read, body)).statusCode).toBe(403);
    expect((await call("POST", "/api/v1/silences", undefined, body)).statusCode).toBe(401);
    const [first] = (await call("GET", "/api/v1/silences?state=active")).json();
    expect((await call("DELETE", `/api/v1/silences/${first.id}`, read)).statusCode).toBe(403);
    expect((await call("GET", `/api/v1/silences/${first.id}`)).json().state).toBe("active");
    expect(await count()).toBe(before);
  });
});
