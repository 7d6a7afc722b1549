import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMatcher } from "../../src/signals/matcher.js";
import { silencedBy } from "../../src/signals/silence.js";
import { silenceStore } from "../../src/signals/silences.store.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";

const T0 = Date.UTC(2026, 2, 16, 9, 0);
const H = 3_600_000;

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`silence store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.destroy());

    it("keeps pending, active and expired silences apart and serves the active ones to the pipeline", async () => {
      const store = silenceStore(database.handle.db);
      const base = { comment: "db failover drill" };
      const active = await store.create(
        { ...base, matchers: ['service="db"', "env=~prod|staging"], startsAt: T0 - H, endsAt: T0 + H },
        "ana",
        T0 - H,
      );
      const pending = await store.create(
        { ...base, matchers: ['service="web"'], startsAt: T0 + H, endsAt: T0 + 2 * H },
        "ana",
        T0,
      );
      const expired = await store.create(
        { ...base, matchers: ['service="old"'], startsAt: T0 - 3 * H, endsAt: T0 - 2 * H },
        "ana",
        T0 - 3 * H,
      );

      const now = await store.active(T0);
      expect(now.map((s) => s.id)).toEqual([active.id]);
      expect(now[0]!.matchers.map(formatMatcher)).toEqual(['service="db"', 'env=~"prod|staging"']);
      expect(silencedBy(now, { service: "db", env: "staging" }, T0)?.id).toBe(active.id);
      expect(silencedBy(now, { service: "db", env: "dev" }, T0)).toBeUndefined();

      expect((await store.list({ state: "pending" }, T0)).map((s) => s.id)).toEqual([pending.id]);
      expect((await store.list({ state: "active" }, T0)).map((s) => s.id)).toEqual([active.id]);
      expect((await store.list({ state: "expired" }, T0)).map((s) => s.id)).toEqual([expired.id]);
      // The boundaries: active from startsAt, expired at endsAt.
      expect((await store.active(T0 + H)).map((s) => s.id)).toEqual([pending.id]);
    });

    it("expires a silence now, audited, and leaves an expired one as it was", async () => {
      const db = database.handle.db;
      const store = silenceStore(db);
      const s = await store.create(
        { matchers: ['alertname="Flappy"'], startsAt: T0, endsAt: T0 + 4 * H, comment: "noisy" },
        "ben",
        T0,
      );
      const ended = await store.expire(s.id, "chen", T0 + H);
      expect(ended).toMatchObject({ startsAt: T0, endsAt: T0 + H, createdBy: "ben" });
      expect(await store.active(T0 + H)).not.toContainEqual(expect.objectContaining({ id: s.id }));
      const again = await store.expire(s.id, "chen", T0 + 2 * H);
      expect(again.endsAt).toBe(T0 + H);
      const audit = await db
        .selectFrom("audit_log")
        .select(["action", "actor"])
        .where("subject", "=", s.id)
        .orderBy("id")
        .execute();
      expect(audit).toEqual([
        { action: "silence.create", actor: "ben" },
        { action: "silence.expire", actor: "chen" },
      ]);
    });

    it("expiring a pending silence means it never starts", async () => {
      const store = silenceStore(database.handle.db);
      const s = await store.create(
        { matchers: ['service="later"'], startsAt: T0 + H, endsAt: T0 + 2 * H, comment: "x" },
        "ben",
        T0,
      );
      const ended = await store.expire(s.id, "ben", T0);
      expect(ended).toMatchObject({ startsAt: T0, endsAt: T0 });
      expect((await store.active(T0 + H + 1)).map((x) => x.id)).not.toContain(s.id);
    });

    it("refuses a silence without matchers, matching everything, or ending before it starts, and stores nothing", async () => {
      const db = database.handle.db;
      const store = silenceStore(db);
      const before = await db.selectFrom("silences").select("id").execute();
      await expect(
        store.create({ matchers: [], startsAt: T0, endsAt: T0 + H, comment: "x" }, "ana", T0),
      ).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_SILENCE_INVALID",
        details: [{ path: "matchers", message: "a silence needs at least one matcher" }],
      });
      await expect(
        store.create({ matchers: ['env=~".*"'], startsAt: T0, endsAt: T0 + H, comment: "x" }, "ana", T0),
      ).rejects.toMatchObject({
        details: [expect.objectContaining({ path: "matchers" })],
      });
      await expect(
        store.create({ matchers: ['service="db"'], startsAt: T0, endsAt: T0, comment: "x" }, "ana", T0),
      ).rejects.toMatchObject({
        details: [{ path: "endsAt", message: "must be after startsAt" }],
      });
      expect(await db.selectFrom("silences").select("id").execute()).toEqual(before);
    });

    it("answers not found when expiring an unknown silence", async () => {
      await expect(silenceStore(database.handle.db).expire("nope", "ana")).rejects.toMatchObject({
        code: "NINES_ERR_SIGNALS_SILENCE_NOT_FOUND",
      });
    });
  });
}
