import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventLogStore } from "../../src/signals/event-log.store.js";
import { parseMatcher } from "../../src/signals/matcher.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";

const T0 = Date.UTC(2026, 2, 16, 9, 0);
const MIN = 60_000;

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`event log store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const db = database.handle.db;
      const store = eventLogStore(db);
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 30; i++) {
          await store.append(trx, {
            at: T0 + i * MIN,
            source: i % 3 === 0 ? "alertmanager" : "api",
            service: i % 2 === 0 ? "checkout" : "search",
            title: i === 7 ? "Deploy 50%_done of search-v2" : `GC pause ${i}`,
            text: i === 12 ? "Heap at 91 percent" : "",
            labels: { env: i < 20 ? "prod" : "staging", zone: `z${i % 4}` },
            fingerprint: `fp-${i}`,
            rule: "route",
          });
        }
      });
    });
    afterAll(() => database.destroy());

    it("finds entries by service, label matchers and time range, newest first", async () => {
      const store = eventLogStore(database.handle.db);
      const page = await store.search({
        service: "checkout",
        matchers: [parseMatcher('env="prod"'), parseMatcher("zone=~z0|z2")],
        from: T0 + 4 * MIN,
        to: T0 + 16 * MIN,
      });
      expect(page.entries.map((e) => e.at)).toEqual([14, 12, 10, 8, 6, 4].map((i) => T0 + i * MIN));
      expect(page.entries[0]).toMatchObject({ service: "checkout", labels: { env: "prod", zone: "z2" } });
      expect(page.nextCursor).toBeNull();
    });

    it("matches source and alertname like signals, and not-equal matchers on labels", async () => {
      const store = eventLogStore(database.handle.db);
      const am = await store.search({
        matchers: [parseMatcher('source="alertmanager"'), parseMatcher('env!="prod"')],
      });
      expect(am.entries.map((e) => e.at)).toEqual([27, 24, 21].map((i) => T0 + i * MIN));
      const byName = await store.search({ matchers: [parseMatcher('alertname="GC pause 3"')] });
      expect(byName.entries.map((e) => e.fingerprint)).toEqual(["fp-3"]);
    });

    it("finds free text in the title or text, ignoring case and treating % and _ literally", async () => {
      const store = eventLogStore(database.handle.db);
      expect((await store.search({ text: "heap PERCENT" })).entries.map((e) => e.fingerprint)).toEqual([
        "fp-12",
      ]);
      expect((await store.search({ text: "50%_done" })).entries.map((e) => e.fingerprint)).toEqual(["fp-7"]);
      expect((await store.search({ text: "50%Xdone" })).entries).toEqual([]);
    });

    it("pages through results with a cursor, without gaps or repeats", async () => {
      const store = eventLogStore(database.handle.db);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.search({
          matchers: [parseMatcher('env="prod"')],
          limit: 7,
          ...(cursor ? { cursor: decode(cursor) } : {}),
        });
        seen.push(...page.entries.map((e) => e.fingerprint ?? ""));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `fp-${19 - i}`));
    });

    it("deletes entries older than the retention and keeps the rest", async () => {
      const db = database.handle.db;
      const store = eventLogStore(db);
      expect(await store.deleteBefore(T0 + 10 * MIN, 4)).toBe(10);
      const left = await store.search({ limit: 1000 });
      expect(left.entries).toHaveLength(20);
      expect(Math.min(...left.entries.map((e) => e.at))).toBe(T0 + 10 * MIN);
      expect(await store.deleteBefore(T0 + 10 * MIN)).toBe(0);
    });
  });
}

function decode(cursor: string) {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split(":").map(Number);
  return { at: at!, id: id! };
}
