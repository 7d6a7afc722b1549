import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ticketStore } from "../../src/signals/tickets.store.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 16, 9, 0);

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`ticket store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.destroy());

    it("opens one ticket per fingerprint and links every repeat of the signal to it", async () => {
      const db = database.handle.db;
      const store = ticketStore(db, { dueDays: 3 });
      const signal = {
        fingerprint: "fp-disk-db1",
        team: "storage",
        service: "db",
        title: "Disk 85% full on db-1",
        rule: "disk-ticket",
      };
      const first = await db
        .transaction()
        .execute((trx) => store.openFromSignal(trx, { ...signal, signalId: "s1" }, T0));
      const second = await db
        .transaction()
        .execute((trx) =>
          store.openFromSignal(trx, { ...signal, signalId: "s2", priority: "p2" }, T0 + 60_000),
        );
      expect(second).toBe(first);
      const ticket = await store.get(first, T0 + 60_000);
      expect(ticket).toMatchObject({
        status: "open",
        team: "storage",
        priority: "p2",
        dueAt: T0 + 3 * DAY,
        rule: "disk-ticket",
        createdBy: "signals",
        signalCount: 2,
        overdue: false,
      });
      expect(ticket!.signals.map((s) => s.signalId)).toEqual(["s1", "s2"]);

      await store.update(first, { status: "done" }, "ana", T0 + DAY);
      const third = await db
        .transaction()
        .execute((trx) => store.openFromSignal(trx, { ...signal, signalId: "s3" }, T0 + 2 * DAY));
      expect(third).not.toBe(first);
      expect((await store.get(third))!.signalCount).toBe(1);
    });

    it("links nothing when the caller's transaction rolls back", async () => {
      const db = database.handle.db;
      const store = ticketStore(db);
      await expect(
        db.transaction().execute(async (trx) => {
          await store.openFromSignal(
            trx,
            { fingerprint: "fp-rollback", service: "api", title: "rolled back" },
            T0,
          );
          throw new Error("the signal's own write failed");
        }),
      ).rejects.toThrow("failed");
      expect(await store.list({ service: "api" })).toEqual([]);
    });

    it("lists overdue tickets of a team, most pressing first, and leaves closed ones out", async () => {
      const store = ticketStore(database.handle.db, { dueDays: 3 });
      const a = await store.create(
        { team: "web", service: "www", title: "renew cert", priority: "p3", dueAt: T0 + DAY },
        "ben",
        T0,
      );
      const b = await store.create(
        { team: "web", service: "www", title: "rotate key", priority: "p1", dueAt: T0 + 2 * DAY },
        "ben",
        T0,
      );
      const c = await store.create(
        { team: "web", service: "www", title: "later", dueAt: T0 + 10 * DAY },
        "ben",
        T0,
      );
      const d = await store.create(
        { team: "web", service: "www", title: "was late, done", dueAt: T0 + DAY },
        "ben",
        T0,
      );
      await store.create({ team: "other", service: "x", title: "other team", dueAt: T0 }, "ben", T0);
      await store.update(d.id, { status: "done" }, "ben", T0 + DAY / 2);

      const now = T0 + 5 * DAY;
      const overdue = await store.list({ team: "web", overdue: true }, now);
      expect(overdue.map((t) => t.id)).toEqual([b.id, a.id]);
      expect(overdue.every((t) => t.overdue)).toBe(true);
      const active = await store.list({ team: "web", status: "active" }, now);
      expect(active.map((t) => t.id)).toEqual([b.id, a.id, c.id]);
      expect(active.find((t) => t.id === c.id)!.overdue).toBe(false);
      expect((await store.list({ team: "web", status: "closed" }, now)).map((t) => t.id)).toEqual([d.id]);
    });

    it("records status, assignee and priority changes with their author, and refuses a closed ticket anything but reopening", async () => {
      const store = ticketStore(database.handle.db);
      const t = await store.create(
        { service: "queue", title: "backlog grows", fingerprint: "fp-q" },
        "ana",
        T0,
      );
      expect(t.createdBy).toBe("ana");
      await store.update(t.id, { status: "in-progress", assignee: "ben" }, "ana", T0 + 1);
      await store.comment(t.id, "ben", "raised the consumer count", T0 + 2);
      const done = await store.update(t.id, { status: "wont-do", priority: "p4" }, "ben", T0 + 3);
      expect(done).toMatchObject({ status: "wont-do", closedAt: T0 + 3, assignee: "ben", priority: "p4" });
      expect(done.comments.map((c) => [c.author, c.kind, c.body])).toEqual([
        ["ana", "change", "status open → in-progress; assignee nobody → ben"],
        ["ben", "comment", "raised the consumer count"],
        ["ben", "change", "status in-progress → wont-do; priority p3 → p4"],
      ]);
      await expect(store.update(t.id, { status: "done" }, "ben", T0 + 4)).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_TICKET_TRANSITION_INVALID",
      });
      const reopened = await store.update(t.id, { status: "open" }, "ben", T0 + 5);
      expect(reopened).toMatchObject({ status: "open", closedAt: null });
      // Reopened, it owns its fingerprint again: a repeat of the signal links to it.
      const id = await database.handle.db
        .transaction()
        .execute((trx) =>
          store.openFromSignal(trx, { fingerprint: "fp-q", service: "queue", title: "again" }, T0 + 6),
        );
      expect(id).toBe(t.id);
    });

    it("refuses to reopen a ticket while another is open for its fingerprint", async () => {
      const db = database.handle.db;
      const store = ticketStore(db);
      const sig = { fingerprint: "fp-twice", service: "cache", title: "evictions" };
      const old = await db.transaction().execute((trx) => store.openFromSignal(trx, sig, T0));
      await store.update(old, { status: "done" }, "ana", T0 + 1);
      const fresh = await db.transaction().execute((trx) => store.openFromSignal(trx, sig, T0 + 2));
      await expect(store.update(old, { status: "open" }, "ana", T0 + 3)).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_TICKET_TRANSITION_INVALID",
        details: { ticketId: fresh },
      });
      expect((await store.get(old))!.status).toBe("done");
    });

    it("answers not found for an unknown or malformed id", async () => {
      const store = ticketStore(database.handle.db);
      expect(await store.get("999999")).toBeUndefined();
      expect(await store.get("abc")).toBeUndefined();
      await expect(store.comment("999999", "ana", "hi")).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_TICKET_NOT_FOUND",
      });
    });
  });
}
