import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, pendingMigrations } from "../../src/db/migrate.js";
import { migrationsFor } from "../../src/db/migrations/index.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`migrations on ${dialect}`, () => {
    let database: TestDatabase | undefined;
    afterEach(async () => {
      await database?.destroy();
      database = undefined;
    });

    it("applies every migration to an empty database, in order, and then has none pending", async () => {
      database = await createTestDatabase(dialect, { migrate: false });
      const { db } = database.handle;
      expect(await pendingMigrations(db, dialect)).toEqual(Object.keys(migrationsFor(dialect)));
      const applied = await migrateToLatest(db, dialect);
      expect(applied).toEqual(Object.keys(migrationsFor(dialect)));
      expect(await pendingMigrations(db, dialect)).toEqual([]);
    });

    it("is idempotent: a second run applies nothing", async () => {
      database = await createTestDatabase(dialect);
      expect(await migrateToLatest(database.handle.db, dialect)).toEqual([]);
    });

    it("creates tables that accept and return millisecond timestamps as numbers", async () => {
      database = await createTestDatabase(dialect);
      const { db } = database.handle;
      const at = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
      await db
        .insertInto("audit_log")
        .values({ at, actor: "test", action: "a", subject: "s", details: "{}" })
        .execute();
      const row = await db.selectFrom("audit_log").selectAll().executeTakeFirstOrThrow();
      expect(row.at).toBe(at);
      expect(typeof row.id).toBe("number");
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(["api_tokens", "sessions", "audit_log"]),
      );
      expect(await sql`select 1 as one`.execute(db)).toBeDefined();
    });
  });
}
