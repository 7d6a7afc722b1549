import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/resilience/random.js";
import { VirtualClock } from "../../src/resilience/virtual-clock.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { type FakeServer, startFakeServer } from "./fake-receivers.js";
import { message, testDomain, toReceiver } from "./support.js";

const COUNT = 300;
const DOWN_MS = 10 * 60_000;

describe("a receiver down for 10 minutes (simulated clock)", () => {
  let database: TestDatabase;
  let server: FakeServer;
  const hits: { at: number; up: boolean }[] = [];
  let up = false;
  const clock = new VirtualClock(Date.parse("2026-03-02T10:00:00Z"));
  const start = clock.now();

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    server = await startFakeServer(() => {
      hits.push({ at: clock.now(), up });
      return up ? { status: 200 } : { status: 503, body: "down for maintenance" };
    });
  });
  afterAll(async () => {
    await server.close();
    await database.destroy();
  });

  it("delivers everything after it returns, spaced by backoff and the breaker, without a retry storm", async () => {
    const domain = testDomain(
      database,
      {
        notifications: {
          breakerThreshold: 5,
          breakerHalfOpenMs: 30_000,
          backoffBaseMs: 1_000,
          backoffCapMs: 300_000,
          giveUpAfter: "1h",
        },
      },
      { clock, random: mulberry32(7) },
    );
    await domain.receivers.create({ name: "down", type: "webhook", config: { url: server.url } }, "test");
    const intents = Array.from({ length: COUNT }, (_, i) =>
      toReceiver("down", `down-${i}`, message({ subject: { kind: "page", id: String(i) } })),
    );
    await database.handle.db.transaction().execute((trx) => domain.outbox.enqueue(trx, intents));

    // The worker polls every simulated second; the receiver comes back after 10 minutes.
    while (clock.now() - start < DOWN_MS + 15 * 60_000) {
      if (!up && clock.now() - start >= DOWN_MS) up = true;
      await domain.worker.runOnce();
      const counts = await domain.outbox.counts();
      if (up && counts.delivered === COUNT) break;
      await clock.advance(1_000);
    }
    const counts = await domain.outbox.counts();
    expect(counts).toEqual({ pending: 0, delivered: COUNT, failed: 0 });

    const whileDown = hits.filter((h) => !h.up);
    // Without the breaker, 300 notifications retrying with backoff for 10 minutes would make
    // thousands of requests. With it: the first wave (at most one concurrency's worth) opens it,
    // then about one half-open probe every 30 s.
    expect(whileDown.length).toBeLessThan(64 + DOWN_MS / 30_000 + 10);
    const afterFirstWave = whileDown.filter((h) => h.at - start > 5_000);
    const perSecond = new Map<number, number>();
    for (const h of afterFirstWave)
      perSecond.set(Math.floor(h.at / 1000), (perSecond.get(Math.floor(h.at / 1000)) ?? 0) + 1);
    expect(Math.max(0, ...perSecond.values())).toBeLessThanOrEqual(1);
    // Probes are spaced by the half-open wait, not back to back.
    const probeGaps = afterFirstWave.slice(1).map((h, i) => h.at - afterFirstWave[i]!.at);
    expect(Math.min(...probeGaps)).toBeGreaterThanOrEqual(15_000);

    const recoveredAt = start + DOWN_MS;
    const lastDelivery = Math.max(...hits.filter((h) => h.up).map((h) => h.at));
    expect(lastDelivery - recoveredAt).toBeLessThanOrEqual(60_000);
    // Each notification was delivered once after the outage.
    expect(hits.filter((h) => h.up).length).toBe(COUNT);
    const sample = await domain.outbox.get((await domain.outbox.list({ limit: 1 }))[0]!.id);
    expect(sample!.attemptLog.at(-1)!.outcome).toBe("success");
    domain.close();
  });
});
