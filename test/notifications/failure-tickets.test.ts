import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { type FakeServer, startFakeServer } from "./fake-receivers.js";

for (const dialect of DIALECTS) {
  describe(`a notification that cannot be delivered (${dialect})`, () => {
    let t: TestApp;
    let admin: string;
    let broken: FakeServer;
    beforeAll(async () => {
      t = await createTestApp({ notifications: { allowedHosts: ["127.0.0.1"] } }, dialect);
      admin = await t.token("admin");
      broken = await startFakeServer(() => ({ status: 410, body: { error: "gone" } }));
    });
    afterAll(async () => {
      await broken.close();
      await t.close();
    });
    const call = (method: "GET" | "POST", url: string, payload?: Record<string, unknown>) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${admin}` },
        ...(payload ? { payload } : {}),
      });

    it("is raised as one ticket per broken receiver, with the error and the attempts", async () => {
      const created = await call("POST", "/api/v1/receivers", {
        name: "team-hook",
        type: "webhook",
        config: { url: broken.url },
      });
      expect(created.statusCode, created.body).toBe(201);
      for (let i = 0; i < 2; i++) {
        const sent = await call("POST", "/api/v1/notifications/test", { receiver: "team-hook" });
        expect(sent.statusCode, sent.body).toBeLessThan(300);
        await t.domains.notifications.worker.runOnce();
      }
      const failed = await call("GET", "/api/v1/notifications?status=failed");
      expect((failed.json() as unknown[]).length).toBe(2);

      const tickets = await t.database.handle.db
        .selectFrom("tickets")
        .select(["id", "title", "description", "priority", "status", "fingerprint"])
        .execute();
      expect(tickets).toHaveLength(1);
      expect(tickets[0]).toMatchObject({
        title: 'Notifications to receiver "team-hook" are failing',
        priority: "p2",
        status: "open",
        fingerprint: "notification-failed:receiver:team-hook",
      });
      expect(tickets[0]?.description).toContain("410");
    });
  });
}
