import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/server/logger.js";
import { sloStore } from "../../src/slo/slo.store.js";
import { RETENTION_MS, SloRuntime } from "../../src/slo/slo-runtime.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";
import { makeSlo } from "./support/slo-factory.js";

const log = createLogger({ level: "error", pretty: false });

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(
    `two replicas following the sample log on ${dialect}`,
    () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(() => database.destroy());

      it("applies a replica's own batch at once, reading the log for another replica's batch before it, and leaves later ones to the periodic follow", async () => {
        const slo = makeSlo({ id: "checkout/follow" });
        const [a, b] = [0, 1].map(() => new SloRuntime({ store: sloStore(database.handle.db), log }));
        await sloStore(database.handle.db).apply([{ slo, yaml: "", format: "nines" }], "test");
        await a!.register(slo);
        await b!.register(slo);
        const now = Date.now();
        const bounds = { now, retentionMs: RETENTION_MS, futureToleranceMs: 300_000 };
        const push = (runtime: SloRuntime, ts: number, good: number) =>
          runtime.ingestBody(
            Buffer.from(JSON.stringify({ samples: [{ slo: slo.id, ts, good, total: 10 }] })),
            bounds,
          );
        const goodOn = (runtime: SloRuntime) => runtime.sli.sum(slo.id, now - 3_600_000, now).good;

        expect(await push(b!, now - 30_000, 1)).toEqual({ accepted: 1, unchanged: 0 });
        expect(await push(a!, now - 20_000, 2)).toEqual({ accepted: 1, unchanged: 0 });
        expect(goodOn(a!)).toBe(3);
        expect(await push(b!, now - 10_000, 4)).toEqual({ accepted: 1, unchanged: 0 });
        expect(goodOn(a!)).toBe(3);
        await a!.follow();
        expect(goodOn(a!)).toBe(7);
        await b!.follow();
        expect(goodOn(b!)).toBe(7);
      });

      it("sends a repeated push of the same SLOs to the SLO that holds a reused slot now, and logs it under that id", async () => {
        const store = sloStore(database.handle.db);
        const runtime = new SloRuntime({ store, log });
        const [a, b, c] = ["shape/a", "shape/b", "shape/c"].map((id) => makeSlo({ id }));
        await store.apply(
          [a!, b!, c!].map((slo) => ({ slo, yaml: "", format: "nines" as const })),
          "test",
        );
        await runtime.register(a!);
        await runtime.register(b!);
        const now = Date.now();
        const bounds = { now, retentionMs: RETENTION_MS, futureToleranceMs: 300_000 };
        // The same two slots in the same order each time: the second push reuses the first one's shape.
        const push = (first: string, ts: number) =>
          runtime.ingestBody(
            Buffer.from(
              JSON.stringify({
                samples: [
                  { slo: first, ts, good: 1, total: 2 },
                  { slo: b!.id, ts, good: 2, total: 2 },
                ],
              }),
            ),
            bounds,
          );
        expect(await push(a!.id, now - 30_000)).toEqual({ accepted: 2, unchanged: 0 });
        expect(await push(a!.id, now - 20_000)).toEqual({ accepted: 2, unchanged: 0 });
        runtime.unregister(a!.id);
        await runtime.register(c!); // takes the slot a had
        expect(await push(c!.id, now - 10_000)).toEqual({ accepted: 2, unchanged: 0 });
        const sum = (id: string) => runtime.sli.sum(id, now - 3_600_000, now);
        expect(sum(c!.id)).toMatchObject({ good: 1, total: 2 });
        expect(sum(b!.id)).toMatchObject({ good: 6, total: 6 });
        // What was logged, read back as another replica would: every sample under its own id.
        const other = new SloRuntime({ store, log });
        for (const slo of [a!, b!, c!]) await other.register(slo);
        expect(other.sli.sum(a!.id, now - 3_600_000, now)).toMatchObject({ good: 2, total: 4 });
        expect(other.sli.sum(b!.id, now - 3_600_000, now)).toMatchObject({ good: 6, total: 6 });
        expect(other.sli.sum(c!.id, now - 3_600_000, now)).toMatchObject({ good: 1, total: 2 });
      });

      it("applies and logs every sample of many concurrent pushes, whose column memory is reused once applied", async () => {
        const store = sloStore(database.handle.db);
        const runtime = new SloRuntime({ store, log });
        const slos = Array.from({ length: 20 }, (_, i) => makeSlo({ id: `pool/slo-${i}` }));
        await store.apply(
          slos.map((slo) => ({ slo, yaml: "", format: "nines" as const })),
          "test",
        );
        for (const slo of slos) await runtime.register(slo);
        const now = Date.now();
        const bounds = { now, retentionMs: RETENTION_MS, futureToleranceMs: 300_000 };
        const pushes = 60;
        // Push p writes good = p + i + 1 of 100 for SLO i, at its own timestamp.
        const body = (p: number) =>
          Buffer.from(
            JSON.stringify({
              samples: slos.map((slo, i) => ({
                slo: slo.id,
                ts: now - (pushes - p) * 10_000,
                good: p + i + 1,
                total: 100,
              })),
            }),
          );
        for (let round = 0; round < 2; round++) {
          const first = round * (pushes / 2);
          const results = await Promise.all(
            Array.from({ length: pushes / 2 }, (_, k) => runtime.ingestBody(body(first + k), bounds)),
          );
          expect(results).toEqual(Array(pushes / 2).fill({ accepted: slos.length, unchanged: 0 }));
        }
        const expected = (i: number) => {
          let good = 0;
          for (let p = 0; p < pushes; p++) good += p + i + 1;
          return { good, total: 100 * pushes };
        };
        const other = new SloRuntime({ store, log });
        for (const slo of slos) await other.register(slo);
        slos.forEach((slo, i) => {
          expect(runtime.sli.sum(slo.id, now - 3_600_000, now)).toEqual(expected(i));
          expect(other.sli.sum(slo.id, now - 3_600_000, now)).toEqual(expected(i));
        });
      });

      it("applies a push once to an SLO whose spec changed while the push was being stored", async () => {
        const slo = makeSlo({ id: "checkout/respec" });
        const store = sloStore(database.handle.db);
        const runtime = new SloRuntime({ store, log });
        await store.apply([{ slo, yaml: "", format: "nines" }], "test");
        await runtime.register(slo);
        const now = Date.now();
        const body = Buffer.from(
          JSON.stringify({ samples: [{ slo: slo.id, ts: now - 10_000, good: 9, total: 10 }] }),
        );
        const pushed = runtime.ingestBody(body, {
          now,
          retentionMs: RETENTION_MS,
          futureToleranceMs: 300_000,
        });
        // The new spec's rebuild may read the log before the push's group commits.
        await runtime.register({ ...slo, objective: 0.99 });
        expect(await pushed).toEqual({ accepted: 1, unchanged: 0 });
        await runtime.follow();
        expect(runtime.sli.sum(slo.id, now - 3_600_000, now)).toMatchObject({ good: 9, total: 10 });
      });
    },
  );
}
