import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { pageLoad, scheduleOwners } from "../../src/oncall/page-load.js";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { at, HOUR, rotation, schedule } from "./fixtures.js";
import { oncallDocument } from "./oncall-document.js";

/** Inserts a page row as the signals pipeline would, opened at `createdAt`. */
async function insertPage(
  db: Kysely<Database>,
  page: { createdAt: number; service: string; team: string | null },
): Promise<void> {
  await db
    .insertInto("pages")
    .values({
      fingerprint: `fp-${page.service}-${page.createdAt}`,
      source: "api",
      service: page.service,
      team: page.team,
      title: `${page.service} is down`,
      description: null,
      severity: "critical",
      labels: "{}",
      links: "[]",
      status: "resolved",
      created_at: page.createdAt,
      acked_at: null,
      acked_by: null,
      resolved_at: page.createdAt + 60_000,
      resolved_by: "test",
      escalation_policy_id: null,
      route_path: "0",
      route_name: "pages",
      receiver: null,
      escalation_next_at: null,
      actionable: null,
      actionable_reason: null,
      reviewed_by: null,
    })
    .execute();
}

describe("page load (pure)", () => {
  it("counts a page at a handoff instant in the shift that starts then, and flags above two per 12 hours", () => {
    const daily = schedule([
      {
        id: "base",
        name: "Daily",
        rotation: rotation({ length: { unit: "days", count: 1 }, timeZone: "UTC" }),
      },
    ]);
    const from = at("2026-03-20T09:00:00Z");
    const pages = [
      at("2026-03-20T10:00:00Z"),
      at("2026-03-21T08:59:59.999Z"),
      at("2026-03-21T09:00:00Z"),
      at("2026-03-21T10:00:00Z"),
      at("2026-03-21T11:00:00Z"),
      at("2026-03-21T12:00:00Z"),
      at("2026-03-21T13:00:00Z"),
    ].map((t, i) => ({ at: t, id: String(i), service: "db" }));
    const load = pageLoad(daily, { teams: [], services: [] }, pages, from, from + 48 * HOUR);
    expect(load.shifts.map((s) => [s.personId, s.pages, s.limit, s.overloaded])).toEqual([
      ["ben", 2, 4, false],
      ["chen", 5, 4, true],
    ]);
    expect(load.people.map((p) => [p.personId, p.pages, p.pagesPer12Hours, p.overloadedShifts])).toEqual([
      ["ben", 2, 1, 0],
      ["chen", 5, 2.5, 1],
    ]);
  });

  it("attributes a schedule to the teams listing it and the services those teams own", () => {
    const owners = scheduleOwners(
      "primary",
      [
        { id: "storage", name: "Storage", members: [], scheduleIds: ["primary"] },
        { id: "web", name: "Web", members: [], scheduleIds: ["web"] },
      ],
      [
        { id: "db", name: "db", teamId: "storage" },
        { id: "shop", name: "shop", teamId: "web" },
      ],
    );
    expect(owners).toEqual({ teams: ["storage", "Storage"], services: ["db"] });
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`page load API on ${dialect}`, () => {
    let t: TestApp;
    let read: string;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const from = "2026-03-21T00:00:00Z";
    const to = "2026-03-24T00:00:00Z";
    beforeAll(async () => {
      t = await createTestApp({ auth: { requireTokenForReads: true } }, dialect);
      const write = await t.token("write");
      read = await t.token("read");
      const applied = await t.app.inject({
        method: "PUT",
        url: "/api/v1/oncall/config",
        headers: auth(write),
        payload: {
          ...oncallDocument(),
          teams: [...oncallDocument().teams, { id: "web", name: "Web", members: ["zoe"], scheduleIds: [] }],
          services: [...oncallDocument().services, { name: "shop", teamId: "web" }],
        },
      });
      expect(applied.statusCode, applied.body).toBe(200);
      // Zoe takes four hours of ana's Sunday.
      const override = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/storage-primary/overrides",
        headers: auth(write),
        payload: { id: "swap", personId: "zoe", start: "2026-03-22T10:00:00Z", end: "2026-03-22T14:00:00Z" },
      });
      expect(override.statusCode, override.body).toBe(201);
      const db = t.database.handle.db;
      const storage = (iso: string, team: string | null = "storage", service = "db") =>
        insertPage(db, { createdAt: Date.parse(iso), service, team });
      await storage("2026-03-20T23:59:59.999Z"); // before the range
      await storage("2026-03-21T12:00:00Z"); // ana
      await storage("2026-03-22T09:59:59.999Z"); // ana, the last instant before the override
      await storage("2026-03-22T10:00:00Z"); // zoe, the override's first instant
      await storage("2026-03-22T11:00:00Z"); // zoe
      await storage("2026-03-22T12:00:00Z"); // zoe
      await storage("2026-03-23T07:59:59.999Z"); // ana, the last instant of her week
      await storage("2026-03-23T08:00:00Z"); // dee: Monday 09:00 Berlin, business hours
      await storage("2026-03-23T09:00:00Z", "Storage"); // dee, team named by name
      await storage("2026-03-23T20:00:00Z", null, "db"); // ben: no team, a service storage owns
      await storage("2026-03-23T21:00:00Z", null, "shop"); // no team, a service of web: not counted
      await storage("2026-03-23T22:00:00Z", "web", "db"); // routed to web: not counted
      await storage("2026-03-24T00:00:00Z"); // at `to`: outside
    });
    afterAll(() => t?.close());

    const get = (query: string, id = "storage-primary") =>
      t.app.inject({ method: "GET", url: `/api/v1/schedules/${id}/page-load?${query}`, headers: auth(read) });

    it("puts pages created at known times into the right shifts, across a handoff and an override", async () => {
      const response = await get(`from=${from}&to=${encodeURIComponent(to)}`);
      expect(response.statusCode, response.body).toBe(200);
      const load = response.json();
      expect(load.schedule).toEqual({
        id: "storage-primary",
        name: "Storage primary",
        timeZone: "Europe/Berlin",
      });
      expect(load.owners).toEqual({ teams: ["storage", "Storage"], services: ["db", "db-replica"] });
      expect(load.guide).toEqual({ pagesPer12Hours: 2 });
      expect(
        load.shifts.map((s: { start: number; end: number; personId: string; pages: number }) => [
          new Date(s.start).toISOString(),
          new Date(s.end).toISOString(),
          s.personId,
          s.pages,
        ]),
      ).toEqual([
        ["2026-03-21T00:00:00.000Z", "2026-03-22T10:00:00.000Z", "ana", 2],
        ["2026-03-22T10:00:00.000Z", "2026-03-22T14:00:00.000Z", "zoe", 3],
        ["2026-03-22T14:00:00.000Z", "2026-03-23T08:00:00.000Z", "ana", 1],
        ["2026-03-23T08:00:00.000Z", "2026-03-23T16:00:00.000Z", "dee", 2],
        ["2026-03-23T16:00:00.000Z", "2026-03-24T00:00:00.000Z", "ben", 1],
      ]);
      expect(load.shifts[1]).toMatchObject({ name: "Zoe Zimmer", limit: 0.67, overloaded: true });
      expect(load.shifts[3]).toMatchObject({ name: "Dee Dietrich", limit: 1.33, overloaded: true });
      expect(load.shifts.filter((s: { overloaded: boolean }) => s.overloaded)).toHaveLength(2);
      expect(load).toMatchObject({ totalPages: 9, overloadedShifts: 2, unattended: 0, truncated: false });
    });

    it("totals pages per person and flags who was above the guide", async () => {
      const load = (await get(`from=${from}&to=${encodeURIComponent(to)}`)).json();
      expect(load.people).toEqual([
        {
          personId: "ana",
          name: "Ana Alves",
          shifts: 2,
          hours: 52,
          pages: 3,
          pagesPer12Hours: 0.69,
          overloadedShifts: 0,
        },
        {
          personId: "ben",
          name: "Ben Brandt",
          shifts: 1,
          hours: 8,
          pages: 1,
          pagesPer12Hours: 1.5,
          overloadedShifts: 0,
        },
        {
          personId: "dee",
          name: "Dee Dietrich",
          shifts: 1,
          hours: 8,
          pages: 2,
          pagesPer12Hours: 3,
          overloadedShifts: 1,
        },
        {
          personId: "zoe",
          name: "Zoe Zimmer",
          shifts: 1,
          hours: 4,
          pages: 3,
          pagesPer12Hours: 9,
          overloadedShifts: 1,
        },
      ]);
    });

    it("answers 400 naming the field for a reversed, too long or malformed range, and 404 for an unknown schedule", async () => {
      const reversed = await get(`from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json().error.details).toEqual([
        { path: "querystring.to", message: "must be after from" },
      ]);
      const tooLong = await get(`from=2020-01-01T00:00:00Z&to=${encodeURIComponent(to)}`);
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.details[0].path).toBe("querystring.to");
      const malformed = await get(`from=yesterday&to=${encodeURIComponent(to)}`);
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.details[0].path).toBe("querystring.from");
      const unknownField = await get(`from=${from}&team=storage`);
      expect(unknownField.statusCode).toBe(400);
      const missing = await get(`from=${from}&to=${encodeURIComponent(to)}`, "nope");
      expect(missing.statusCode).toBe(404);
    });
  });
}
