import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authStore, TOKEN_CACHE_MS } from "../../src/auth/auth.store.js";
import { parseToken, secretMatches } from "../../src/auth/token.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`auth store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.destroy());

    it("creates a token whose secret matches its stored hash and nothing else", async () => {
      const store = authStore(database.handle.db);
      const { token, info } = await store.createToken("ci", "write", 1_000);
      const parsed = parseToken(token)!;
      const found = await store.findActiveToken(info.id);
      expect(found).toMatchObject({ id: info.id, name: "ci", scope: "write", createdAt: 1_000 });
      expect(secretMatches(parsed.secret, found!.secretHash)).toBe(true);
      expect(secretMatches(`${parsed.secret.slice(1)}x`, found!.secretHash)).toBe(false);
    });

    it("revokes a token, ends its sessions and audits both steps", async () => {
      const store = authStore(database.handle.db);
      const { info } = await store.createToken("ui", "read", 2_000);
      await store.createSession("session-1", info.id, 60_000, 2_000);
      expect(await store.findSession("session-1", 2_500)).toMatchObject({ tokenId: info.id, scope: "read" });
      await store.revokeToken(info.id, 3_000);
      expect(await store.findActiveToken(info.id)).toBeUndefined();
      expect(await store.findSession("session-1", 3_000)).toBeUndefined();
      const audit = await database.handle.db
        .selectFrom("audit_log")
        .select(["action", "subject"])
        .where("subject", "=", info.id)
        .execute();
      expect(audit.map((a) => a.action).sort()).toEqual(["token.create", "token.revoke"]);
      await expect(store.revokeToken(info.id)).rejects.toMatchObject({
        code: "NINES_ERR_AUTH_TOKEN_NOT_FOUND",
      });
    });

    it("trusts a token it read for five seconds: revoked elsewhere it stops working then, revoked here at once", async () => {
      const here = authStore(database.handle.db);
      const elsewhere = authStore(database.handle.db);
      const { info } = await here.createToken("agent", "write");
      const t = Date.now();
      expect(await here.findActiveToken(info.id, t)).toMatchObject({ id: info.id });
      await elsewhere.revokeToken(info.id);
      expect(await here.findActiveToken(info.id, t + TOKEN_CACHE_MS - 1)).toMatchObject({ id: info.id });
      expect(await here.findActiveToken(info.id, t + TOKEN_CACHE_MS)).toBeUndefined();

      const { info: other } = await here.createToken("agent-2", "write");
      expect(await here.findActiveToken(other.id, t)).toMatchObject({ id: other.id });
      await here.revokeToken(other.id);
      expect(await here.findActiveToken(other.id, t)).toBeUndefined();
    });

    it("expires sessions after their time to live", async () => {
      const store = authStore(database.handle.db);
      const { info } = await store.createToken("ttl", "read", 0);
      await store.createSession("session-2", info.id, 1_000, 10_000);
      expect(await store.findSession("session-2", 10_999)).toBeDefined();
      expect(await store.findSession("session-2", 11_000)).toBeUndefined();
    });

    it("counts only active admin tokens", async () => {
      const store = authStore(database.handle.db);
      const before = await store.countAdminTokens();
      const { info } = await store.createToken("root", "admin");
      expect(await store.countAdminTokens()).toBe(before + 1);
      await store.revokeToken(info.id);
      expect(await store.countAdminTokens()).toBe(before);
    });
  });
}
