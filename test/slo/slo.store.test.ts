import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { externalAlertsStore } from "../../src/prometheus/alertmanager/external-alerts.store.js";
import { sloStore } from "../../src/slo/slo.store.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";
import { makeSlo } from "./support/slo-factory.js";

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`SLO store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.destroy());

    it("versions a spec on change only, and keeps its history after a delete", async () => {
      const store = sloStore(database.handle.db);
      const slo = makeSlo();
      const spec = { slo, yaml: "v1", format: "nines" };
      expect(await store.apply([spec], "alice", 1)).toEqual(["created"]);
      expect(await store.apply([spec], "alice", 2)).toEqual(["unchanged"]);
      expect(
        await store.apply([{ ...spec, slo: { ...slo, objective: 0.995 }, yaml: "v2" }], "bob", 3),
      ).toEqual(["updated"]);
      expect((await store.get(slo.id))?.slo.objective).toBe(0.995);
      expect(await store.remove(slo.id, "carol", 4)).toBe(true);
      expect(await store.get(slo.id)).toBeUndefined();
      expect(await store.remove(slo.id, "carol", 5)).toBe(false);
      const versions = await store.versions(slo.id);
      expect(versions.map((v) => [v.version, v.change, v.appliedBy])).toEqual([
        [3, "delete", "carol"],
        [2, "apply", "bob"],
        [1, "apply", "alice"],
      ]);
      expect(await store.apply([spec], "dave", 6)).toEqual(["created"]);
    });

    it("logs a batch as one row: a retry is skipped, a correction replaces, the log order follows writes", async () => {
      const store = sloStore(database.handle.db);
      const first = await store.writeSamples([
        { sloId: "a/b", ts: 1_000, good: 9, total: 10 },
        { sloId: "a/b", ts: 2_000, good: 10, total: 10 },
        { sloId: "c/d", ts: 2_000, good: 1, total: 1 },
      ]);
      expect(first.written).toHaveLength(3);
      const retry = await store.writeSamples([{ sloId: "a/b", ts: 1_000, good: 9, total: 10 }]);
      expect(retry.written).toHaveLength(0);
      const correction = await store.writeSamples([{ sloId: "a/b", ts: 1_000, good: 5, total: 10 }]);
      expect(correction.replaced).toEqual([{ sloId: "a/b", ts: 1_000 }]);
      const batches = await database.handle.db.selectFrom("sli_sample_batches").select("seq").execute();
      expect(batches).toHaveLength(2);
      const rows = await store.samplesOf("a/b", 0);
      expect(rows.map((r) => [r.ts, r.good])).toEqual([
        [1_000, 5],
        [2_000, 10],
      ]);
      const log = await store.samplesAfter(0);
      expect(log.map((r) => [r.sloId, r.ts])).toEqual([
        ["a/b", 1_000],
        ["a/b", 2_000],
        ["c/d", 2_000],
        ["a/b", 1_000],
      ]);
      expect(await store.maxSampleSeq()).toBe(log.at(-1)!.seq);
      expect(await store.deleteSamplesBefore(1_500)).toBe(0);
    });

    it("compacts settled batches into per-SLO chunks that histories read, latest write first", async () => {
      const store = sloStore(database.handle.db);
      await store.writeSamples([{ sloId: "k/a", ts: 10_000, good: 1, total: 2 }], 1_000);
      await store.writeSamples(
        [
          { sloId: "k/a", ts: 10_000, good: 2, total: 2 },
          { sloId: "k/b", ts: 20_000, good: 3, total: 3 },
        ],
        2_000,
      );
      await store.writeSamples([{ sloId: "k/a", ts: 30_000, good: 4, total: 4 }], 200_000);
      const before = await store.historyOf("k/a", 0);
      expect(await store.compactSampleLog(100_000, { keepMs: 0 })).toBe(3);
      expect(await store.compactSampleLog(100_000, { keepMs: 0 })).toBe(0);
      const chunks = await database.handle.db
        .selectFrom("sli_sample_chunks")
        .select(["slo_id", "samples"])
        .where("slo_id", "like", "k/%")
        .orderBy("slo_id")
        .execute();
      expect(chunks).toEqual([
        { slo_id: "k/a", samples: 1 },
        { slo_id: "k/b", samples: 1 },
      ]);
      const after = await store.historyOf("k/a", 0);
      expect(after.samples.map((s) => [s.ts, s.good])).toEqual([
        [10_000, 2],
        [30_000, 4],
      ]);
      expect(after.samples.map((s) => [s.ts, s.good])).toEqual(before.samples.map((s) => [s.ts, s.good]));
      expect(after.seq).toBe(before.seq);
      const retry = await store.writeSamples([{ sloId: "k/b", ts: 20_000, good: 3, total: 3 }], 300_000);
      expect(retry.written).toHaveLength(0);
      expect(await store.deleteSamplesBefore(25_000)).toBeGreaterThanOrEqual(2);
      expect((await store.historyOf("k/b", 0)).samples).toEqual([]);
    });

    it("keeps the last counter reading per SLO in the sample transaction", async () => {
      const store = sloStore(database.handle.db);
      await store.writeSamples([], 0, new Map([["c/d", { ts: 10, good: 1, total: 2 }]]));
      await store.writeSamples([], 0, new Map([["c/d", { ts: 20, good: 3, total: 4 }]]));
      expect(await store.counterReadings(["c/d", "x/y"])).toEqual(
        new Map([["c/d", { ts: 20, good: 3, total: 4 }]]),
      );
    });

    it("resumes firing lines from the alert events", async () => {
      const store = sloStore(database.handle.db);
      const event = {
        sloId: "e/f",
        service: "e",
        severity: "page" as const,
        burnRates: { long: 20, short: 30 },
        budgetRemaining: Number.NaN,
        reason: "burning",
      };
      await store.writeAlertEvents([
        { ...event, line: "page-fast", state: "firing", at: 1 },
        { ...event, line: "page-slow", state: "firing", at: 1 },
        { ...event, line: "page-fast", state: "resolved", at: 2 },
      ]);
      expect((await store.firingLines()).get("e/f")).toEqual(new Set(["page-slow"]));
      const events = await store.alertEvents({ sloId: "e/f" });
      expect(events[0]).toMatchObject({ line: "page-fast", state: "resolved", budgetRemaining: 0 });
    });

    it("audits a budget adjustment in the same transaction and lists annotations by time", async () => {
      const store = sloStore(database.handle.db);
      const adjustment = await store.addAdjustment({
        sloId: "g/h",
        fromMs: 10,
        toMs: 20,
        reason: "provider outage",
        author: "sre",
      });
      expect(await store.adjustments("g/h")).toEqual([adjustment]);
      const audit = await database.handle.db
        .selectFrom("audit_log")
        .selectAll()
        .where("subject", "=", "g/h")
        .execute();
      expect(audit.map((a) => a.action)).toEqual(["slo.budget.adjust"]);
      await store.addAnnotation({
        sloId: "g/h",
        kind: "deploy",
        at: 50,
        endAt: null,
        text: "v2",
        author: "ci",
      });
      await store.addAnnotation({ sloId: "g/h", kind: "note", at: 40, endAt: null, text: "n", author: "ci" });
      expect((await store.annotations("g/h", 0, 100)).map((a) => a.at)).toEqual([40, 50]);
    });

    it("records Alertmanager alerts and reads back the latest state of each", async () => {
      const store = externalAlertsStore(database.handle.db);
      const alert = {
        source: "alertmanager" as const,
        fingerprint: "abc",
        labels: { alertname: "HighLatency" },
        annotations: {},
        startsAt: "2026-11-25T10:00:00Z",
        receiver: "nines",
        groupKey: "{}:{}",
      };
      await store.record([{ ...alert, state: "firing" }]);
      await store.record([
        { ...alert, state: "resolved", endsAt: "2026-11-25T10:05:00Z" },
        { ...alert, fingerprint: "def", state: "firing" },
      ]);
      const current = await store.current();
      expect(current.map((a) => [a.fingerprint, a.state]).sort()).toEqual([
        ["abc", "resolved"],
        ["def", "firing"],
      ]);
      expect((await store.current({ state: "firing" })).map((a) => a.fingerprint)).toEqual(["def"]);
    });
  });
}

// PostgreSQL only: on SQLite one connection runs the history's queries back to back, so no commit
// can land between them.
describe.skipIf(!postgresAvailable())("SLO store history read while a batch commits, on postgres", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(() => database.destroy());

  it("returns a history position below a batch committed while the history was read, unless the batch was read", async () => {
    const writer = sloStore(database.handle.db);
    await writer.writeSamples([{ sloId: "race/a", ts: 10_000, good: 1, total: 1 }], 1_000);
    // Commits a batch right after the history has read the log's tail, before it returns.
    let armed = true;
    const tailReads = new Set<unknown>();
    const commitAfterTail: KyselyPlugin = {
      transformQuery({ node, queryId }) {
        const sql = JSON.stringify(node);
        if (sql.includes('"sli_sample_batches"') && sql.includes('"payload"')) tailReads.add(queryId);
        return node;
      },
      async transformResult({ result, queryId }) {
        if (armed && tailReads.has(queryId)) {
          armed = false;
          await writer.writeSamples([{ sloId: "race/a", ts: 20_000, good: 2, total: 2 }], 2_000);
        }
        return result;
      },
    };
    const reader = sloStore(database.handle.db.withPlugin(commitAfterTail));
    const history = await reader.historyOf("race/a", 0);
    expect(armed).toBe(false);
    const committed = await writer.maxSampleSeq();
    const read = history.samples.map((s) => s.ts);
    // Either the batch is in the history, or a follower from this position reads it.
    expect(read.includes(20_000) || history.seq < committed).toBe(true);
    expect(read).toContain(10_000);
  });
});
