import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.js";

const DAY = 86_400_000;

describe("tickets API", () => {
  let t: TestApp;
  let write: string;
  let read: string;
  beforeAll(async () => {
    t = await createTestApp({ signals: { ticketDueDays: 2 } });
    write = await t.token("write");
    read = await t.token("read");
  });
  afterAll(() => t.close());

  const call = (method: "GET" | "POST" | "PATCH", url: string, token?: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const count = async () => (await t.database.handle.db.selectFrom("tickets").select("id").execute()).length;

  it("opens a ticket by hand, due after signals.ticketDueDays, authored by the token's name", async () => {
    const before = Date.now();
    const response = await call("POST", "/api/v1/tickets", write, {
      team: "storage",
      service: "db",
      title: "Replica lag above 30 s for a day",
      priority: "p2",
    });
    expect(response.statusCode).toBe(201);
    const ticket = response.json();
    expect(ticket).toMatchObject({
      status: "open",
      priority: "p2",
      createdBy: "test-write",
      comments: [],
      signals: [],
    });
    expect(ticket.dueAt).toBeGreaterThanOrEqual(before + 2 * DAY);
    expect(ticket.dueAt).toBeLessThanOrEqual(Date.now() + 2 * DAY);
  });

  it("lists a team's queue, its overdue tickets, and one assignee's", async () => {
    const past = Date.now() - DAY;
    const late = (
      await call("POST", "/api/v1/tickets", write, {
        team: "web",
        service: "www",
        title: "late",
        dueAt: past,
      })
    ).json();
    const mine = (
      await call("POST", "/api/v1/tickets", write, {
        team: "web",
        service: "www",
        title: "mine",
        assignee: "ana",
      })
    ).json();
    const web = (await call("GET", "/api/v1/tickets?team=web")).json();
    expect(web.map((x: { id: string }) => x.id).sort()).toEqual([late.id, mine.id].sort());
    const overdue = (await call("GET", "/api/v1/tickets?team=web&overdue=true")).json();
    expect(overdue).toEqual([expect.objectContaining({ id: late.id, overdue: true })]);
    expect(
      (await call("GET", "/api/v1/tickets?assignee=ana")).json().map((x: { id: string }) => x.id),
    ).toEqual([mine.id]);
  });

  it("moves a ticket through its statuses with comments, and refuses a closed ticket anything but reopening", async () => {
    const created = (
      await call("POST", "/api/v1/tickets", write, { service: "queue", title: "DLQ growing" })
    ).json();
    const url = `/api/v1/tickets/${created.id}`;
    expect((await call("PATCH", url, write, { status: "in-progress", assignee: "ben" })).statusCode).toBe(
      200,
    );
    const comment = await call("POST", `${url}/comments`, write, { body: "Consumer was stuck; restarted." });
    expect(comment.statusCode).toBe(201);
    expect(comment.json()).toMatchObject({ author: "test-write", kind: "comment" });
    const done = await call("PATCH", url, write, { status: "done" });
    expect(done.json()).toMatchObject({ status: "done", assignee: "ben" });
    const refused = await call("PATCH", url, write, { status: "in-progress" });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: "NINES_ERR_SIGNALS_TICKET_TRANSITION_INVALID",
      details: { path: "body.status", from: "done", to: "in-progress" },
    });
    const shown = (await call("GET", url)).json();
    expect(shown.status).toBe("done");
    expect(shown.comments.map((c: { body: string }) => c.body)).toEqual([
      "status open → in-progress; assignee nobody → ben",
      "Consumer was stuck; restarted.",
      "status in-progress → done",
    ]);
    expect((await call("PATCH", url, write, { status: "open", assignee: null })).json()).toMatchObject({
      status: "open",
      assignee: null,
    });
  });

  it("answers 400 naming the field for malformed input, and writes nothing", async () => {
    const before = await count();
    const cases: [unknown, string][] = [
      [{ service: "db" }, "body.title"],
      [{ service: "db", title: "x", priority: "urgent" }, "body.priority"],
      [{ service: "db", title: "x", dueAt: "tomorrow" }, "body.dueAt"],
      [{ service: "db", title: "x", owner: "ana" }, "body.owner"],
      [{ service: "", title: "x" }, "body.service"],
    ];
    for (const [payload, path] of cases) {
      const response = await call("POST", "/api/v1/tickets", write, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const patch = await call("PATCH", "/api/v1/tickets/1", write, { status: "closed" });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.message).toContain("body.status");
    expect((await call("PATCH", "/api/v1/tickets/1", write, {})).statusCode).toBe(400);
    expect((await call("POST", "/api/v1/tickets/1/comments", write, { body: "" })).statusCode).toBe(400);
    expect((await call("GET", "/api/v1/tickets?overdue=maybe")).json().error.details[0].path).toBe(
      "querystring.overdue",
    );
    expect(await count()).toBe(before);
  });

  it("answers 404 for a ticket that does not exist", async () => {
    expect((await call("GET", "/api/v1/tickets/987654")).json().error.code).toBe(
      "NINES_ERR_SIGNALS_TICKET_NOT_FOUND",
    );
    expect((await call("PATCH", "/api/v1/tickets/987654", write, { status: "done" })).statusCode).toBe(404);
    expect((await call("GET", "/api/v1/tickets/abc")).statusCode).toBe(400);
  });

  it("lets a read token look but not change anything", async () => {
    const before = await count();
    expect((await call("GET", "/api/v1/tickets", read)).statusCode).toBe(200);
    expect((await call("POST", "/api/v1/tickets", read, { service: "db", title: "x" })).statusCode).toBe(403);
    expect((await call("POST", "/api/v1/tickets", undefined, { service: "db", title: "x" })).statusCode).toBe(
      401,
    );
    expect((await call("PATCH", "/api/v1/tickets/1", read, { status: "done" })).statusCode).toBe(403);
    expect((await call("POST", "/api/v1/tickets/1/comments", read, { body: "hi" })).statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
});
