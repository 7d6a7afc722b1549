import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintenanceState, maintenanceStore } from "../../src/signals/maintenance.store.js";
import { activeMaintenance } from "../../src/signals/maintenance-window.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";

const H = 3_600_000;
const WEEK = 7 * 24 * H;

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`maintenance store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.destroy());

    it("serves the windows on at a time, in their own zone, weekly ones across the DST change", async () => {
      const store = maintenanceStore(database.handle.db);
      // Saturday 22:00–02:00 Berlin, weekly: 21:00Z in winter, 20:00Z after the 29 March change.
      const weekly = await store.create(
        {
          service: "db",
          start: "2026-03-21T22:00",
          end: "2026-03-22T02:00",
          timeZone: "Europe/Berlin",
          recurrence: "weekly",
          outcomes: ["ticket", "log"],
          reason: "vacuum",
        },
        "ana",
      );
      const once = await store.create(
        { service: "web", start: "2026-03-18T10:00", end: "2026-03-18T11:00", reason: "cert swap" },
        "ana",
      );
      expect(weekly.startAt).toBe(Date.UTC(2026, 2, 21, 21, 0));
      expect(once).toMatchObject({
        timeZone: "UTC",
        recurrence: "none",
        outcomes: ["page", "ticket", "log"],
      });

      const at = (iso: string) => Date.parse(iso);
      expect((await store.active(at("2026-03-21T21:30:00Z"))).map((w) => w.id)).toEqual([weekly.id]);
      expect((await store.active(at("2026-03-28T20:30:00Z"))).map((w) => w.id)).toEqual([]);
      expect((await store.active(at("2026-04-04T20:30:00Z"))).map((w) => w.id)).toEqual([weekly.id]);
      expect((await store.active(at("2026-03-18T10:59:59Z"))).map((w) => w.id)).toEqual([once.id]);
      expect(await store.active(at("2026-03-18T11:00:00Z"))).toEqual([]);

      const windows = await store.active(at("2026-03-21T21:30:00Z"));
      expect(activeMaintenance(windows, "db", "ticket", at("2026-03-21T21:30:00Z"))?.id).toBe(weekly.id);
      expect(activeMaintenance(windows, "db", "page", at("2026-03-21T21:30:00Z"))).toBeUndefined();

      expect(maintenanceState(once, at("2026-03-17T00:00:00Z"))).toBe("upcoming");
      expect(maintenanceState(once, at("2026-03-18T10:30:00Z"))).toBe("active");
      expect(maintenanceState(once, at("2026-03-19T00:00:00Z"))).toBe("past");
      expect(maintenanceState(weekly, at("2026-03-21T21:00:00Z") + 10 * WEEK + 5 * H)).toBe("upcoming");
      expect((await store.list({ service: "web" })).map((w) => w.id)).toEqual([once.id]);
    });

    it("refuses a malformed window naming each field, and stores nothing", async () => {
      const db = database.handle.db;
      const store = maintenanceStore(db);
      const before = (await db.selectFrom("maintenance_windows").select("id").execute()).length;
      await expect(
        store.create(
          {
            service: "db",
            start: "2026-03-21 22:00",
            end: "2026-03-21T21:00",
            timeZone: "Mars/Olympus",
            reason: "",
          },
          "ana",
        ),
      ).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_MAINTENANCE_INVALID",
        details: [
          { path: "timeZone", message: '"Mars/Olympus" is not an IANA time zone' },
          { path: "start", message: "must be a local time YYYY-MM-DDTHH:MM" },
          { path: "reason", message: "must say why" },
        ],
      });
      await expect(
        store.create(
          { service: "db", start: "2026-03-21T22:00", end: "2026-03-21T22:00", reason: "x" },
          "ana",
        ),
      ).rejects.toMatchObject({
        details: [{ path: "end", message: "must be after start" }],
      });
      expect((await db.selectFrom("maintenance_windows").select("id").execute()).length).toBe(before);
    });

    it("deletes a window, audited, and answers not found the second time", async () => {
      const db = database.handle.db;
      const store = maintenanceStore(db);
      const w = await store.create(
        { service: "q", start: "2026-05-01T00:00", end: "2026-05-01T01:00", reason: "upgrade" },
        "ana",
      );
      await store.delete(w.id, "ben");
      expect(await store.get(w.id)).toBeUndefined();
      await expect(store.delete(w.id, "ben")).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_MAINTENANCE_NOT_FOUND",
      });
      const audit = await db
        .selectFrom("audit_log")
        .select("action")
        .where("subject", "=", w.id)
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action)).toEqual(["maintenance.create", "maintenance.delete"]);
    });
  });
}
