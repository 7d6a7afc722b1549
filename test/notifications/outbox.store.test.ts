import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationOutbox } from "../../src/notifications/outbox.store.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { message, toReceiver } from "./support.js";

for (const dialect of DIALECTS) {
  describe(`notification outbox on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await database.destroy();
    });

    it("writes nothing when the caller's transaction rolls back", async () => {
      const outbox = notificationOutbox(database.handle.db, { now: () => 1_000 });
      await expect(
        database.handle.db.transaction().execute(async (trx) => {
          await outbox.enqueue(trx, [toReceiver("hook", "rolled-back")]);
          throw new Error("the state change failed");
        }),
      ).rejects.toThrow("the state change failed");
      expect(await outbox.list({ limit: 1000 })).toHaveLength(0);
      await database.handle.db
        .transaction()
        .execute((trx) => outbox.enqueue(trx, [toReceiver("hook", "kept")]));
      expect((await outbox.list()).map((n) => n.dedupKey)).toEqual(["kept"]);
    });

    it("claims due rows by schedule, records attempts and keeps the next attempt time", async () => {
      let now = 10_000;
      const outbox = notificationOutbox(database.handle.db, { now: () => now });
      const intents = Array.from({ length: 1_200 }, (_, i) =>
        toReceiver("hook", `bulk-${i}`, message({ subject: { kind: "page", id: String(i % 3) } })),
      );
      await database.handle.db.transaction().execute((trx) => outbox.enqueue(trx, intents));
      const due = (await outbox.due(1_001, now)).filter((n) => n.dedupKey.startsWith("bulk-"));
      expect(due).toHaveLength(1_000);
      const [first, second] = due;
      await outbox.complete([
        {
          id: first!.id,
          outcome: "retry",
          attempted: true,
          attempts: [
            {
              attempt: 1,
              at: now,
              receiver: "hook",
              outcome: "retry",
              statusCode: 503,
              error: "hook answered 503",
              durationMs: 12,
            },
          ],
          nextAttemptAt: now + 5_000,
          error: "hook answered 503",
        },
        {
          id: second!.id,
          outcome: "delivered",
          attempted: true,
          attempts: [
            { attempt: 1, at: now, receiver: "hook", outcome: "success", statusCode: 200, durationMs: 3 },
          ],
        },
      ]);
      const exclude = new Set(due.slice(2).map((n) => n.id));
      const again = await outbox.due(2_000, now, { exclude: [...exclude] });
      expect(again.map((n) => n.id)).not.toContain(first!.id);
      expect(again.map((n) => n.id)).not.toContain(second!.id);
      // The 200 bulk rows never claimed, and the one left pending by the previous test.
      expect(again.filter((n) => n.dedupKey.startsWith("bulk-"))).toHaveLength(200);
      expect(again).toHaveLength(201);
      now += 5_000;
      expect((await outbox.due(2_000, now)).map((n) => n.id)).toContain(first!.id);
      const stored = await outbox.get(first!.id);
      expect(stored).toMatchObject({
        status: "pending",
        attempts: 1,
        nextAttemptAt: 15_000,
        lastError: "hook answered 503",
      });
      expect(stored!.attemptLog).toEqual([
        {
          attempt: 1,
          at: 10_000,
          receiver: "hook",
          outcome: "retry",
          statusCode: 503,
          error: "hook answered 503",
          durationMs: 12,
        },
      ]);
      expect(await outbox.get(second!.id)).toMatchObject({
        status: "delivered",
        attempts: 1,
        deliveredAt: 10_000,
      });
      expect((await outbox.list({ subject: "page:1", limit: 1000 })).length).toBe(400);
      expect((await outbox.list({ status: "delivered" })).map((n) => n.id)).toEqual([second!.id]);
      expect(await outbox.counts()).toMatchObject({ delivered: 1 });
    });

    it("calls the failure hook inside the transaction that marks the row failed", async () => {
      const outbox = notificationOutbox(database.handle.db, { now: () => 50_000 });
      await database.handle.db
        .transaction()
        .execute((trx) => outbox.enqueue(trx, [toReceiver("hook", "doomed")]));
      const [row] = (await outbox.list({ limit: 1 })).filter((n) => n.dedupKey === "doomed");
      await expect(
        outbox.complete(
          [{ id: row!.id, outcome: "failed", attempted: true, attempts: [], error: "gave up" }],
          async () => {
            throw new Error("ticket store down");
          },
        ),
      ).rejects.toThrow("ticket store down");
      expect((await outbox.get(row!.id))!.status).toBe("pending");
      await outbox.complete(
        [{ id: row!.id, outcome: "failed", attempted: true, attempts: [], error: "gave up" }],
        async (trx, d) => {
          await trx
            .insertInto("audit_log")
            .values({ at: 1, actor: "t", action: "ticket", subject: String(d.id), details: "{}" })
            .execute();
        },
      );
      expect(await outbox.get(row!.id)).toMatchObject({
        status: "failed",
        lastError: "gave up",
        failedAt: 50_000,
      });
    });
    it("claims in schedule-then-id order from a cursor, skipping the rows in flight it is told of", async () => {
      const enqueueAt = (at: number, keys: string[]) =>
        database.handle.db.transaction().execute((trx) =>
          notificationOutbox(database.handle.db, { now: () => at }).enqueue(
            trx,
            keys.map((k) => toReceiver("hook", k)),
          ),
        );
      // Queued later but scheduled earlier: the schedule comes first, then the id.
      await enqueueAt(90_000, ["order-c", "order-d", "order-e"]);
      await enqueueAt(80_000, ["order-a", "order-b"]);
      const outbox = notificationOutbox(database.handle.db);
      const ours = (rows: { dedupKey: string }[]) =>
        rows.map((n) => n.dedupKey).filter((k) => k.startsWith("order-"));
      const all = (await outbox.due(5_000, 100_000)).filter((n) => n.dedupKey.startsWith("order-"));
      expect(all.map((n) => n.dedupKey)).toEqual(["order-a", "order-b", "order-c", "order-d", "order-e"]);
      const [, b, c, d] = all;
      const after = { at: b!.nextAttemptAt, id: b!.id };
      expect(ours(await outbox.due(5_000, 100_000, { after }))).toEqual(["order-c", "order-d", "order-e"]);
      expect(ours(await outbox.due(5_000, 100_000, { after, exclude: [d!.id] }))).toEqual([
        "order-c",
        "order-e",
      ]);
      expect(ours(await outbox.due(2, 100_000, { after: { at: c!.nextAttemptAt, id: c!.id } }))).toEqual([
        "order-d",
        "order-e",
      ]);
      // Not yet due at 85 s: only the two scheduled at 80 s, and none after the cursor.
      expect(ours(await outbox.due(5_000, 85_000))).toEqual(["order-a", "order-b"]);
      expect(ours(await outbox.due(5_000, 85_000, { after }))).toEqual([]);
    });
  });
}
