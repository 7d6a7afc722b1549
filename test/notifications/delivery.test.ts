import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StoredNotification } from "../../src/notifications/outbox.store.js";
import { VirtualClock } from "../../src/resilience/virtual-clock.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import {
  startFakeAlertmanager,
  startFakePagerDuty,
  startFakeServer,
  startFakeSlack,
  startFakeSmtp,
  startSignedWebhook,
} from "./fake-receivers.js";
import { addReceiver, message, testDomain, toReceiver } from "./support.js";

const SECRET = "a-shared-secret-of-some-length";

describe("delivering notifications to each receiver type", () => {
  let database: TestDatabase;
  const servers: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await database.destroy();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  const track = <T extends { close(): Promise<void> }>(s: T) => {
    servers.push(s);
    return s;
  };
  const enqueue = (
    domain: ReturnType<typeof testDomain>,
    intents: Parameters<typeof domain.outbox.enqueue>[1],
  ) => database.handle.db.transaction().execute((trx) => domain.outbox.enqueue(trx, intents));
  const latest = async (domain: ReturnType<typeof testDomain>, dedupKey: string) =>
    (await domain.outbox.list({ limit: 1000 })).find((n) => n.dedupKey === dedupKey) as StoredNotification;

  it("signs a webhook with HMAC-SHA256 of timestamp.body and sends the dedup key as Idempotency-Key", async () => {
    const hook = track(await startSignedWebhook(SECRET));
    const domain = testDomain(database);
    await addReceiver(domain, {
      name: "hook",
      type: "webhook",
      config: { url: `${hook.url}/in`, secret: SECRET },
    });
    await enqueue(domain, [toReceiver("hook", "page-42-trigger")]);
    expect(await domain.worker.runOnce()).toBe(1);
    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    expect(request.status).toBe(204);
    expect(request.headers["idempotency-key"]).toBe("page-42-trigger");
    const body = request.json as { version: string; dedupKey: string; message: { title: string } };
    expect(body.version).toBe("1");
    expect(body.dedupKey).toBe("page-42-trigger");
    expect(body.message.title).toBe(message().title);
    const n = await latest(domain, "page-42-trigger");
    expect(n.status).toBe("delivered");
    expect((await domain.outbox.get(n.id))!.attemptLog).toMatchObject([
      { attempt: 1, receiver: "hook", outcome: "success", statusCode: 204 },
    ]);
    domain.close();
  });

  it("a webhook whose secret is wrong gets 401, a permanent failure: failed at once and the hook called", async () => {
    const hook = track(await startSignedWebhook(SECRET));
    const failed: StoredNotification[] = [];
    const domain = testDomain(
      database,
      {},
      {
        onDeliveryFailed: async (trx, delivery) => {
          failed.push(delivery);
          await trx
            .insertInto("audit_log")
            .values({ at: 1, actor: "test", action: "ticket", subject: String(delivery.id), details: "{}" })
            .execute();
        },
      },
    );
    await addReceiver(domain, {
      name: "hook-wrong",
      type: "webhook",
      config: { url: hook.url, secret: "not-the-right-secret-at-all" },
    });
    await enqueue(domain, [toReceiver("hook-wrong", "wrong-1")]);
    await domain.worker.runOnce();
    const n = await latest(domain, "wrong-1");
    expect(n.status).toBe("failed");
    expect(n.lastError).toContain("401");
    expect(failed.map((f) => f.id)).toEqual([n.id]);
    expect(failed[0]!.status).toBe("failed");
    const tickets = await database.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("subject", "=", String(n.id))
      .execute();
    expect(tickets).toHaveLength(1);
    expect(await domain.worker.runOnce()).toBe(0);
    expect(hook.requests).toHaveLength(1);
    domain.close();
  });

  it("posts a Slack Block Kit message with a text fallback, fields and acknowledge/resolve buttons", async () => {
    const slack = track(await startFakeSlack());
    const domain = testDomain(database);
    await addReceiver(domain, {
      name: "slack",
      type: "slack",
      config: { url: `${slack.url}/services/T0/B0/xyz` },
    });
    await enqueue(domain, [toReceiver("slack", "slack-1", message({ title: "x".repeat(400) }))]);
    await domain.worker.runOnce();
    expect(slack.requests[0]!.status).toBe(200);
    const body = slack.requests[0]!.json as {
      text: string;
      blocks: { type: string; elements?: { url: string }[] }[];
    };
    expect(body.text).toContain("[Triggered]");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "context", "actions"]);
    expect(body.blocks[3]!.elements!.map((e) => e.url)).toEqual([
      message().actions!.acknowledgeUrl,
      message().actions!.resolveUrl,
    ]);
    expect((await latest(domain, "slack-1")).status).toBe("delivered");
    domain.close();
  });

  it("sends PagerDuty Events v2 trigger, acknowledge and resolve with one dedup_key and a mapped severity", async () => {
    const pd = track(await startFakePagerDuty());
    const domain = testDomain(database);
    await addReceiver(domain, {
      name: "pd",
      type: "pagerduty",
      config: { routingKey: "R0UT1NGKEY0000000000000000000000", baseUrl: pd.url },
    });
    await enqueue(domain, [
      toReceiver("pd", "pd-t", message({ summary: "s".repeat(3000) })),
      toReceiver("pd", "pd-a", message({ event: "acknowledge" })),
      toReceiver("pd", "pd-r", message({ event: "resolve", endsAt: Date.parse("2026-03-02T11:00:00Z") })),
    ]);
    await domain.worker.runOnce();
    expect(pd.requests.map((r) => r.status)).toEqual([202, 202, 202]);
    const events = pd.requests.map((r) => r.json as Record<string, unknown>);
    expect(events.map((e) => e["event_action"]).sort()).toEqual(["acknowledge", "resolve", "trigger"]);
    expect(new Set(events.map((e) => e["dedup_key"])).size).toBe(1);
    const trigger = events.find((e) => e["event_action"] === "trigger")!;
    const payload = trigger["payload"] as { summary: string; severity: string; source: string };
    expect(payload.severity).toBe("critical");
    expect(payload.summary.length).toBeLessThanOrEqual(1024);
    expect(payload.source).toBe("checkout");
    for (const key of ["pd-t", "pd-a", "pd-r"]) expect((await latest(domain, key)).status).toBe("delivered");
    domain.close();
  });

  it("a PagerDuty 400 (invalid event) fails permanently; a 429 is retried", async () => {
    const pd = track(await startFakeServer(() => ({ status: 400, body: { status: "invalid event" } })));
    const domain = testDomain(database);
    await addReceiver(domain, {
      name: "pd-bad",
      type: "pagerduty",
      config: { routingKey: "k", baseUrl: pd.url },
    });
    await enqueue(domain, [toReceiver("pd-bad", "pd-bad-1")]);
    await domain.worker.runOnce();
    expect((await latest(domain, "pd-bad-1")).status).toBe("failed");
    pd.respond(() => ({ status: 429, body: { status: "throttled" } }));
    await enqueue(domain, [toReceiver("pd-bad", "pd-bad-2")]);
    await domain.worker.runOnce();
    const n = await latest(domain, "pd-bad-2");
    expect(n.status).toBe("pending");
    expect(n.attempts).toBe(1);
    expect(n.lastError).toContain("429");
    domain.close();
  });

  it("posts Alertmanager v2 postable alerts: firing with a future endsAt, resolved with endsAt", async () => {
    const am = track(await startFakeAlertmanager());
    const domain = testDomain(database);
    await addReceiver(domain, { name: "am", type: "alertmanager", config: { url: am.url, validFor: "2h" } });
    const endsAt = Date.parse("2026-03-02T10:30:00Z");
    await enqueue(domain, [
      toReceiver("am", "am-1"),
      toReceiver("am", "am-2", message({ event: "resolve", endsAt })),
    ]);
    await domain.worker.runOnce();
    expect(am.requests.map((r) => r.status)).toEqual([200, 200]);
    const alerts = am.requests.map(
      (r) => (r.json as { labels: Record<string, string>; endsAt: string }[])[0]!,
    );
    expect(alerts[0]!.labels).toMatchObject({
      alertname: message().title,
      service: "checkout",
      app_kubernetes_io_name: "checkout",
    });
    expect(Date.parse(alerts[0]!.endsAt)).toBeGreaterThan(Date.now() + 3_600_000);
    expect(alerts.find((a) => Date.parse(a.endsAt) === endsAt)).toBeDefined();
    domain.close();
  });

  it("sends email over SMTP with AUTH PLAIN, and a 5xx RCPT answer fails permanently", async () => {
    const smtp = await startFakeSmtp();
    servers.push(smtp);
    const domain = testDomain(database, {
      notifications: {
        smtp: {
          host: "127.0.0.1",
          port: smtp.port,
          secure: false,
          startTls: true,
          username: "nines",
          password: "smtp-password",
          from: "nines@example.com",
        },
      },
    });
    await addReceiver(domain, {
      name: "mail",
      type: "email",
      config: { to: ["oncall@example.com", "b@example.com"] },
    });
    await enqueue(domain, [toReceiver("mail", "mail-1", message({ title: "Über-latency .dot" }))]);
    await domain.worker.runOnce();
    expect((await latest(domain, "mail-1")).status).toBe("delivered");
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe("nines@example.com");
    expect(mail.to).toEqual(["oncall@example.com", "b@example.com"]);
    expect(mail.auth).toBe("\u0000nines\u0000smtp-password");
    expect(mail.data).toContain("Subject: =?UTF-8?B?");
    expect(mail.data).toContain("X-Nines-Dedup-Key: mail-1");
    const body = Buffer.from(mail.data.split("\r\n\r\n")[1]!.replace(/\r\n/g, ""), "base64").toString("utf8");
    expect(body).toContain("Acknowledge: https://nines.example.com/api/v1/pages/42/ack?sig=abc");

    const rejecting = await startFakeSmtp({ rejectRcpt: 550 });
    servers.push(rejecting);
    await addReceiver(domain, {
      name: "mail-550",
      type: "email",
      config: {
        to: ["nobody@example.com"],
        smtp: { host: "127.0.0.1", port: rejecting.port, from: "n@example.com" },
      },
    });
    await enqueue(domain, [toReceiver("mail-550", "mail-2")]);
    await domain.worker.runOnce();
    const n = await latest(domain, "mail-2");
    expect(n.status).toBe("failed");
    expect(n.lastError).toContain("550");
    domain.close();
  });

  it("retries a receiver answering 500 with backoff and delivers once it recovers", async () => {
    let calls = 0;
    const flaky = track(
      await startFakeServer(() =>
        ++calls <= 2 ? { status: 500, body: "boom" } : { status: 200, body: "ok" },
      ),
    );
    const clock = new VirtualClock(Date.parse("2026-03-02T10:00:00Z"));
    const domain = testDomain(database, {}, { clock, random: () => 0.5 });
    await addReceiver(domain, { name: "flaky", type: "webhook", config: { url: flaky.url } });
    await enqueue(domain, [toReceiver("flaky", "flaky-1")]);
    await domain.worker.runOnce();
    let n = await latest(domain, "flaky-1");
    expect(n).toMatchObject({ status: "pending", attempts: 1 });
    // Full jitter with random 0.5: the first retry waits 0.5 × 1 s, the second 0.5 × 2 s.
    expect(n.nextAttemptAt - clock.now()).toBe(500);
    expect(await domain.worker.runOnce()).toBe(0);
    await clock.advance(500);
    await domain.worker.runOnce();
    n = await latest(domain, "flaky-1");
    expect(n).toMatchObject({ status: "pending", attempts: 2 });
    expect(n.nextAttemptAt - clock.now()).toBe(1_000);
    await clock.advance(1_000);
    await domain.worker.runOnce();
    n = await latest(domain, "flaky-1");
    expect(n).toMatchObject({ status: "delivered", attempts: 3 });
    const log = (await domain.outbox.get(n.id))!.attemptLog;
    expect(log.map((a) => [a.outcome, a.statusCode])).toEqual([
      ["retry", 500],
      ["retry", 500],
      ["success", 200],
    ]);
    domain.close();
  });

  it("marks a notification failed after giveUpAfter and calls the failure hook once", async () => {
    const down = track(await startFakeServer(() => ({ status: 503 })));
    const clock = new VirtualClock(Date.parse("2026-03-02T10:00:00Z"));
    const failed: number[] = [];
    const domain = testDomain(
      database,
      { notifications: { giveUpAfter: "10m", breakerThreshold: 1000 } },
      { clock, onDeliveryFailed: async (_trx, d) => void failed.push(d.id) },
    );
    await addReceiver(domain, { name: "down", type: "webhook", config: { url: down.url } });
    await enqueue(domain, [toReceiver("down", "down-1")]);
    for (let t = 0; t < 12 * 60; t += 5) {
      await domain.worker.runOnce();
      await clock.advance(5_000);
    }
    const n = await latest(domain, "down-1");
    expect(n.status).toBe("failed");
    expect(n.lastError).toContain("503");
    expect(failed).toEqual([n.id]);
    expect(n.failedAt! - n.createdAt).toBeGreaterThanOrEqual(600_000);
    domain.close();
  });

  it("reaches a person through each contact: email, webhook and chat; phone is skipped", async () => {
    const hook = track(await startFakeServer(() => ({ status: 200 })));
    const slack = track(await startFakeSlack());
    const smtp = await startFakeSmtp();
    servers.push(smtp);
    const domain = testDomain(
      database,
      {
        notifications: {
          smtp: {
            host: "127.0.0.1",
            port: smtp.port,
            secure: false,
            startTls: false,
            from: "nines@example.com",
          },
        },
      },
      {
        directory: {
          person: async (id) =>
            id === "alice"
              ? {
                  id,
                  name: "Alice",
                  contacts: [
                    { kind: "email", address: "alice@example.com" },
                    { kind: "webhook", address: `${hook.url}/alice` },
                    { kind: "chat", address: `${slack.url}/services/alice` },
                    { kind: "phone", address: "+15550100" },
                  ],
                }
              : undefined,
        },
      },
    );
    await enqueue(domain, [
      { target: { type: "person", personId: "alice" }, dedupKey: "alice-1", message: message() },
      { target: { type: "person", personId: "nobody" }, dedupKey: "nobody-1", message: message() },
    ]);
    await domain.worker.runOnce();
    const alice = await latest(domain, "alice-1");
    expect(alice.status).toBe("delivered");
    expect(smtp.mails.map((m) => m.to)).toEqual([["alice@example.com"]]);
    expect(hook.requests.map((r) => r.path)).toEqual(["/alice"]);
    expect(slack.requests[0]!.status).toBe(200);
    const log = (await domain.outbox.get(alice.id))!.attemptLog;
    expect(log.map((a) => `${a.receiver} ${a.outcome}`)).toEqual([
      "person:alice email:alice@example.com success",
      `person:alice webhook:${hook.url}/alice success`,
      `person:alice chat:${slack.url}/services/alice success`,
      "person:alice phone:+15550100 skipped",
    ]);
    const nobody = await latest(domain, "nobody-1");
    expect(nobody.status).toBe("failed");
    expect(nobody.lastError).toContain('no person with id "nobody"');
    domain.close();
  });

  it("retries only the contacts of a person that failed", async () => {
    let failing = true;
    const good = track(await startFakeServer(() => ({ status: 200 })));
    const bad = track(await startFakeServer(() => (failing ? { status: 502 } : { status: 200 })));
    const clock = new VirtualClock(Date.parse("2026-03-02T10:00:00Z"));
    const domain = testDomain(
      database,
      {},
      {
        clock,
        directory: {
          person: async (id) => ({
            id,
            name: id,
            contacts: [
              { kind: "webhook", address: good.url },
              { kind: "webhook", address: bad.url },
            ],
          }),
        },
      },
    );
    await enqueue(domain, [
      { target: { type: "person", personId: "bob" }, dedupKey: "bob-1", message: message() },
    ]);
    await domain.worker.runOnce();
    expect((await latest(domain, "bob-1")).status).toBe("pending");
    failing = false;
    await clock.advance(60_000);
    await domain.worker.runOnce();
    expect((await latest(domain, "bob-1")).status).toBe("delivered");
    expect(good.requests).toHaveLength(1);
    expect(bad.requests).toHaveLength(2);
    domain.close();
  });

  it("a notification for a receiver that does not exist fails with the name", async () => {
    const domain = testDomain(database);
    await enqueue(domain, [toReceiver("ghost", "ghost-1")]);
    await domain.worker.runOnce();
    const n = await latest(domain, "ghost-1");
    expect(n.status).toBe("failed");
    expect(n.lastError).toBe('no receiver named "ghost"');
    domain.close();
  });
});
