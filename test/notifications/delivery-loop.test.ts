import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationOutbox } from "../../src/notifications/outbox.store.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { type FakeServer, startFakeServer } from "./fake-receivers.js";
import { addReceiver, testDomain, toReceiver } from "./support.js";

const BACKLOG = 200;

for (const dialect of DIALECTS) {
  describe(`the delivery loop on ${dialect}`, () => {
    let database: TestDatabase;
    let server: FakeServer;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await server?.close();
      await database.destroy();
    });

    it("delivers a notification queued behind its claim cursor mid-backlog, and sends nothing twice", async () => {
      const domain = testDomain(database, { notifications: { concurrency: 4 } });
      const enqueue = (now: () => number, keys: string[]) =>
        database.handle.db.transaction().execute((trx) =>
          notificationOutbox(database.handle.db, { now }).enqueue(
            trx,
            keys.map((k) => toReceiver("hook", k)),
          ),
        );
      let late: Promise<void> | undefined;
      server = await startFakeServer(async ({ json }) => {
        // Another replica queues a notification scheduled a minute ago while the backlog drains:
        // it sorts before the rows already claimed.
        if ((json as { dedupKey: string }).dedupKey === "backlog-20")
          late = enqueue(() => Date.now() - 60_000, ["late"]);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { status: 200 };
      });
      await addReceiver(domain, { name: "hook", type: "webhook", config: { url: server.url } });
      await enqueue(
        Date.now,
        Array.from({ length: BACKLOG }, (_, i) => `backlog-${i}`),
      );

      const controller = new AbortController();
      const stopped = domain.worker.task().start(controller.signal);
      const until = Date.now() + 30_000;
      while ((await domain.outbox.counts()).delivered < BACKLOG + 1 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await stopped;
      await late;

      expect(await domain.outbox.counts()).toEqual({ pending: 0, delivered: BACKLOG + 1, failed: 0 });
      const sent = server.requests.map((r) => (r.json as { dedupKey: string }).dedupKey);
      expect(new Set(sent).size).toBe(sent.length);
      expect(sent).toContain("late");
      // The late one went out after the backlog it was queued behind.
      expect(sent.indexOf("late")).toBeGreaterThan(sent.indexOf("backlog-20"));
      domain.close();
    });
  });
}
