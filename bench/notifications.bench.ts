/**
 * Outbox delivery: notifications queued in the database, delivered by the worker to a local
 * webhook receiver (bench/support/sink-server.mjs, in its own process, answering 200), on SQLite
 * and PostgreSQL. Peers measured in the same run against the same receiver: the raw ceilings (bare
 * POSTs, 64 in flight, no database, with node:http and with undici, the client nines sends with)
 * and the naive sender (one row per transaction, read → POST → mark delivered, one at a time).
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { createDatabase, type DatabaseHandle } from "../src/db/create-database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import type { NotificationIntent } from "../src/notifications/notification.js";
import { createNotificationsDomain } from "../src/notifications/notifications-domain.js";
import { configWith } from "../test/support/config-overrides.js";
import { startPostgresCluster } from "../test/support/postgres-cluster.js";
import { figure, ratio } from "./support/figures.js";

const COUNT = 20_000;
/** Deliveries (and raw POSTs) before measuring, so that both sides run warm. */
const WARMUP = 3_000;
const NAIVE_COUNT = 500;

/** The receiver runs in its own process (its own core), as a real one would. */
function startReceiver(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(new URL("./support/sink-server.mjs", import.meta.url)), [], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the receiver exited with ${code}`)));
    child.once("message", (port) => resolve({ url: `http://127.0.0.1:${Number(port)}/hook`, child }));
  });
}

const intent = (i: number): NotificationIntent => ({
  target: { type: "receiver", receiverId: "bench" },
  dedupKey: `bench-${i}`,
  message: {
    event: "trigger",
    subject: { kind: "page", id: String(i) },
    title: "checkout error budget burning fast",
    summary: "14.4× burn over 1h and 5m",
    service: "checkout",
    severity: "critical",
    outcome: "page",
    labels: { service: "checkout", slo: "availability" },
    links: [],
    startsAt: Date.now(),
  },
});

/** The ceiling: raw node:http POSTs to the same receiver at the same concurrency, no database. */
async function rawHttpRate(url: string, count: number, concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let i = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i++ < count)
        await new Promise<void>((resolve, reject) => {
          const request = http.request(
            url,
            { method: "POST", agent, headers: { "content-type": "application/json" } },
            (response) => {
              response.resume();
              response.on("end", () => resolve());
            },
          );
          request.on("error", reject);
          request.end(JSON.stringify(intent(i)));
        });
    }),
  );
  agent.destroy();
  return (count * 1000) / (performance.now() - started);
}

/** The same with undici, the HTTP client the delivery worker uses. */
async function rawUndiciRate(url: string, count: number, concurrency: number): Promise<number> {
  const agent = new Agent({ connections: concurrency });
  const { origin, pathname } = new URL(url);
  let i = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i++ < count) {
        const response = await agent.request({
          origin,
          path: pathname,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(intent(i)),
        });
        await response.body.text();
      }
    }),
  );
  await agent.close();
  return (count * 1000) / (performance.now() - started);
}

async function measure(handle: DatabaseHandle, receiverUrl: string) {
  const config = configWith({ notifications: { allowedHosts: ["127.0.0.1"], concurrency: 64 } });
  const domain = createNotificationsDomain({ config, db: handle.db });
  await domain.receivers.create({ name: "bench", type: "webhook", config: { url: receiverUrl } }, "bench");
  const enqueue = (from: number, count: number) =>
    handle.db.transaction().execute((trx) =>
      domain.outbox.enqueue(
        trx,
        Array.from({ length: count }, (_, i) => intent(from + i)),
      ),
    );
  /** Runs the worker until nothing is pending; returns the milliseconds it took. */
  const runWorker = async () => {
    const controller = new AbortController();
    const started = performance.now();
    const stopped = domain.worker.task().start(controller.signal);
    // Polls with one index probe (a status count would scan the table 50 times a second).
    while (
      await handle.db
        .selectFrom("notifications")
        .select("id")
        .where("status", "=", "pending")
        .limit(1)
        .executeTakeFirst()
    )
      await new Promise((r) => setTimeout(r, 20));
    const ms = performance.now() - started;
    controller.abort();
    await stopped;
    const counts = await domain.outbox.counts();
    if (counts.failed > 0) throw new Error(`${counts.failed} notifications failed`);
    return ms;
  };
  // Warm up (JIT, connections) as the ceiling does, then measure.
  await enqueue(0, WARMUP);
  await runWorker();
  const enqueueStart = performance.now();
  await enqueue(WARMUP, COUNT);
  const enqueueRate = (COUNT * 1000) / (performance.now() - enqueueStart);
  const deliveryRate = (COUNT * 1000) / (await runWorker());

  // The naive peer: one notification per transaction, sent one by one.
  await handle.db.transaction().execute((trx) =>
    domain.outbox.enqueue(
      trx,
      Array.from({ length: NAIVE_COUNT }, (_, i) => intent(WARMUP + COUNT + i)),
    ),
  );
  const naiveStart = performance.now();
  for (let i = 0; i < NAIVE_COUNT; i++) {
    await handle.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("notifications")
        .selectAll()
        .where("status", "=", "pending")
        .orderBy("next_attempt_at")
        .limit(1)
        .executeTakeFirstOrThrow();
      const response = await fetch(receiverUrl, {
        method: "POST",
        body: row.message,
        headers: { "content-type": "application/json" },
      });
      await response.arrayBuffer();
      await trx
        .updateTable("notifications")
        .set({ status: "delivered", delivered_at: Date.now(), attempts: row.attempts + 1 })
        .where("id", "=", row.id)
        .execute();
      await trx
        .insertInto("notification_attempts")
        .values({
          notification_id: row.id,
          attempt: 1,
          at: Date.now(),
          receiver: "bench",
          outcome: "success",
          status_code: response.status,
          error: null,
          duration_ms: 0,
        })
        .execute();
    });
  }
  const naiveRate = (NAIVE_COUNT * 1000) / (performance.now() - naiveStart);
  domain.close();
  return { enqueueRate, deliveryRate, naiveRate };
}

const receiver = await startReceiver();
await rawHttpRate(receiver.url, WARMUP, 64);
const ceiling = await rawHttpRate(receiver.url, COUNT, 64);
figure("raw node:http POST to the same receiver (64 in flight, no database)", ceiling, "requests/s");
await rawUndiciRate(receiver.url, WARMUP, 64);
const undiciCeiling = await rawUndiciRate(receiver.url, COUNT, 64);
figure("raw undici POST to the same receiver (64 in flight, no database)", undiciCeiling, "requests/s");
const dir = mkdtempSync(join(tmpdir(), "nines-bench-notify-"));
try {
  const sqlite = createDatabase({ sqlitePath: join(dir, "n.db") });
  await migrateToLatest(sqlite.db, "sqlite");
  const s = await measure(sqlite, receiver.url);
  await sqlite.close();
  figure("sqlite outbox enqueue (20k in one transaction)", s.enqueueRate, "notifications/s");
  figure(
    "sqlite outbox delivery to a local webhook",
    s.deliveryRate,
    "notifications/s",
    `${ratio(s.deliveryRate, s.naiveRate, "naive one-row-per-transaction sender")} ${ratio(s.deliveryRate, undiciCeiling, "raw undici POST")} (target >= 5,000/s: ${s.deliveryRate >= 5000 ? "met" : "missed"})`,
  );

  const cluster = await startPostgresCluster();
  if (!cluster) {
    process.stdout.write("postgres outbox delivery: SKIPPED (PostgreSQL is not installed)\n");
  } else {
    try {
      const postgres = createDatabase({ url: cluster.url, sqlitePath: "", poolSize: 8 });
      await migrateToLatest(postgres.db, "postgres");
      const p = await measure(postgres, receiver.url);
      await postgres.close();
      figure("postgres outbox enqueue (20k in one transaction)", p.enqueueRate, "notifications/s");
      figure(
        "postgres outbox delivery to a local webhook",
        p.deliveryRate,
        "notifications/s",
        `${ratio(p.deliveryRate, p.naiveRate, "naive one-row-per-transaction sender")} ${ratio(p.deliveryRate, undiciCeiling, "raw undici POST")} (target >= 5,000/s: ${p.deliveryRate >= 5000 ? "met" : "missed"})`,
      );
    } finally {
      cluster.stop();
    }
  }
} finally {
  receiver.child.removeAllListeners("exit");
  receiver.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
