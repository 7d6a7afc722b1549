import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSilence } from "../../src/signals/silence.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";
import { Clock, Recorded, signal, T0, testDomain } from "./pipeline-fixtures.js";

const ROUTING = {
  route: {
    name: "default",
    classify: "log",
    receiver: "ops-webhook",
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    routes: [
      { name: "slo-page", matchers: ['source="slo"', 'severity="page"'], classify: "page" },
      { name: "slo-ticket", matchers: ['source="slo"', 'severity="ticket"'], classify: "ticket" },
      {
        name: "db-critical",
        matchers: ["service=db", "severity=critical"],
        classify: "page",
        team: "storage",
      },
    ],
  },
  inhibitRules: [
    {
      name: "page-holds-tickets",
      sourceMatchers: ['class="page"'],
      targetMatchers: ['class="ticket"'],
      equal: ["service"],
    },
  ],
};

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`signal pipeline on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.destroy());

    /** A fresh domain on a clean slate of the shared database. */
    const fresh = async () => {
      const { db } = database.handle;
      for (const table of [
        "signals",
        "signal_events",
        "pages",
        "page_escalation_sent",
        "signal_groups",
        "signal_settings",
        "signal_routing_configs",
      ] as const) {
        await db.deleteFrom(table).execute();
      }
      const clock = new Clock();
      const recorded = new Recorded();
      const domain = await testDomain(db, clock, recorded);
      await domain.routing.put(ROUTING, "test");
      return { clock, recorded, domain, db };
    };

    it("re-sending a signal updates its fingerprint instead of opening a second page", async () => {
      const { clock, domain } = await fresh();
      const [first] = await domain.ingest([signal()]);
      clock.advance(60_000);
      const [second] = await domain.ingest([signal({ description: "still burning" })]);
      expect(first).toMatchObject({ outcome: "page", duplicate: false });
      expect(second).toMatchObject({ outcome: "page", duplicate: true, pageId: first?.pageId });
      const pages = await domain.pages.list();
      expect(pages).toHaveLength(1);
      const stored = await domain.store.signal("fp-db-page");
      expect(stored).toMatchObject({ received: 2, description: "still burning", firstSeenAt: T0 });
      expect(await domain.store.signalEvents("fp-db-page")).toHaveLength(2);
    });

    it("records the rule that decided each classification, logs included", async () => {
      const { domain, recorded } = await fresh();
      const results = await domain.ingest([
        signal({ fingerprint: "a", severity: "critical", source: "api" }),
        signal({ fingerprint: "b", severity: "ticket", service: "web" }),
        signal({ fingerprint: "c", severity: "info", source: "api" }),
      ]);
      expect(results.map((r) => [r.outcome, r.rule.name, r.rule.path])).toEqual([
        ["page", "db-critical", "route.routes[2]"],
        ["ticket", "slo-ticket", "route.routes[1]"],
        ["log", "default", "route"],
      ]);
      expect(await domain.store.signal("a")).toMatchObject({
        rule: { name: "db-critical", path: "route.routes[2]" },
        groupKey: 'route.routes[2]{alertname="SLO db/availability burning",service="db"}',
      });
      const page = (await domain.pages.list())[0];
      expect(page).toMatchObject({ team: "storage", escalationPolicyId: "storage-primary" });
      expect(recorded.tickets).toEqual([
        expect.objectContaining({ fingerprint: "b", rule: expect.objectContaining({ name: "slo-ticket" }) }),
      ]);
      expect(recorded.logs.map((l) => l.fingerprint)).toEqual(["c"]);
    });

    it("a silenced signal opens no page until the silence ends", async () => {
      const { clock, domain, recorded } = await fresh();
      recorded.silences = [
        createSilence({
          id: "s1",
          matchers: ["service=db"],
          startsAt: T0 - 1,
          endsAt: T0 + 600_000,
          createdBy: "ana",
          comment: "db migration",
        }),
      ];
      const [result] = await domain.ingest([signal()]);
      expect(result).toMatchObject({
        outcome: "page",
        muted: { reason: "silenced", by: "s1" },
        pageId: null,
      });
      expect(await domain.pages.list()).toEqual([]);
      clock.advance(600_000);
      expect(await domain.pipeline.reconcile()).toEqual({ resolved: 0, released: 1 });
      expect(await domain.pages.list()).toHaveLength(1);
      expect(await domain.store.signal("fp-db-page")).toMatchObject({ muted: null });
    });

    it("a maintenance window of the service holds its pages back", async () => {
      const { domain, recorded } = await fresh();
      recorded.windows = [
        {
          id: "sat-night",
          service: "db",
          timeZone: "UTC",
          start: "2026-03-30T06:00",
          end: "2026-03-30T08:00",
          recurrence: "none",
          outcomes: ["page", "ticket", "log"],
        },
      ];
      const [held, other] = await domain.ingest([signal(), signal({ fingerprint: "web", service: "web" })]);
      expect(held).toMatchObject({ muted: { reason: "maintenance", by: "sat-night" }, pageId: null });
      expect(other).toMatchObject({ muted: null, pageId: expect.any(Number) });
    });

    it("while a page fires for a service, its tickets are held (inhibition)", async () => {
      const { domain, recorded } = await fresh();
      await domain.ingest([signal()]);
      const [ticket, elsewhere] = await domain.ingest([
        signal({ fingerprint: "t1", severity: "ticket", title: "slow burn" }),
        signal({ fingerprint: "t2", severity: "ticket", service: "web" }),
      ]);
      expect(ticket).toMatchObject({
        outcome: "ticket",
        muted: { reason: "inhibited", by: "page-holds-tickets" },
        ticketId: null,
      });
      expect(elsewhere).toMatchObject({ outcome: "ticket", muted: null, ticketId: "T-1" });
      expect(recorded.tickets.map((t) => t.fingerprint)).toEqual(["t2"]);
    });

    it("a resolved signal resolves its page and tells whoever was notified", async () => {
      const { clock, domain, recorded } = await fresh();
      const [fired] = await domain.ingest([signal()]);
      await domain.escalation.run();
      clock.advance(60_000);
      const [resolved] = await domain.ingest([signal({ endsAt: clock.at })]);
      expect(resolved).toMatchObject({ status: "resolved" });
      const page = await domain.pages.get(fired?.pageId as number);
      expect(page).toMatchObject({ status: "resolved", resolvedBy: "signal:slo", resolvedAt: clock.at });
      expect(recorded.intents.filter((i) => i.message.event === "resolve").map((i) => i.target)).toEqual([
        { type: "receiver", receiverId: "ops-webhook" },
        { type: "person", personId: "ana" },
      ]);
      // Firing again is a new episode: a new page.
      clock.advance(60_000);
      const [again] = await domain.ingest([signal()]);
      expect(again?.pageId).not.toBe(fired?.pageId);
    });

    it("group timers survive a restart: the group flushes after groupWait on the new process", async () => {
      const { clock, domain, recorded, db } = await fresh();
      await domain.ingest([signal(), signal({ fingerprint: "fp-2", labels: { instance: "b" } })]);
      expect(await domain.pipeline.groupingTick()).toEqual({ notifications: 0, signals: 2 });
      clock.advance(10_000);
      await domain.pipeline.groupingTick();
      expect(recorded.intents).toEqual([]);
      // A new process on the same database.
      const restarted = await testDomain(db, clock, recorded);
      clock.advance(19_999);
      expect((await restarted.pipeline.groupingTick()).notifications).toBe(0);
      clock.advance(1);
      expect(await restarted.pipeline.groupingTick()).toEqual({ notifications: 1, signals: 0 });
      const [intent] = recorded.intents;
      expect(intent).toMatchObject({
        target: { type: "receiver", receiverId: "ops-webhook" },
        message: {
          event: "trigger",
          outcome: "page",
          title: "[PAGE] SLO db/availability burning (2 firing)",
        },
      });
      // Nothing more until something changes or the repeat interval.
      clock.advance(300_000);
      expect((await restarted.pipeline.groupingTick()).notifications).toBe(0);
    });

    it("escalation notifies the first step, the next after the wait, and stops on acknowledgement", async () => {
      const { clock, domain, recorded } = await fresh();
      const [fired] = await domain.ingest([signal()]);
      const pageId = fired?.pageId as number;
      expect(await domain.escalation.run()).toEqual({ pages: 1, notifications: 1 });
      expect(recorded.intents.map((i) => [i.target, i.message.event])).toEqual([
        [{ type: "person", personId: "ana" }, "trigger"],
      ]);
      const actions = recorded.intents[0]?.message.actions;
      expect(actions?.acknowledgeUrl).toMatch(
        new RegExp(
          `^https://nines\\.example\\.com/api/v1/pages/${pageId}/ack\\?expires=\\d+&by=ana&sig=[0-9a-f]{64}$`,
        ),
      );
      clock.advance(4 * 60_000);
      expect(await domain.escalation.run()).toEqual({ pages: 0, notifications: 0 });
      clock.advance(60_000);
      expect(await domain.escalation.run()).toEqual({ pages: 1, notifications: 1 });
      expect(recorded.intents.at(-1)).toMatchObject({
        target: { type: "person", personId: "ben" },
        message: { event: "escalate" },
      });
      expect((await domain.store.sentKeys(pageId)).map((s) => s.key).sort()).toEqual(["0:0", "0:2"]);
      await domain.pages.acknowledge(pageId, "ben");
      expect(recorded.intents.at(-1)).toMatchObject({ message: { event: "acknowledge" } });
      const before = recorded.intents.length;
      clock.advance(3_600_000);
      expect(await domain.escalation.run()).toEqual({ pages: 0, notifications: 0 });
      expect(recorded.intents).toHaveLength(before);
    });

    it("an acknowledged page stops escalating before its next step", async () => {
      const { clock, domain, recorded } = await fresh();
      const [fired] = await domain.ingest([signal()]);
      await domain.escalation.run();
      clock.advance(60_000);
      await domain.pages.acknowledge(fired?.pageId as number, "ana");
      clock.advance(10 * 60_000);
      await domain.escalation.run();
      expect(
        recorded.intents.filter((i) => i.target.type === "person" && i.target.personId === "ben"),
      ).toEqual([]);
    });

    it("auto-resolves signals of a source with a quiet period", async () => {
      const { clock, domain } = await fresh();
      await domain.routing.put(
        { ...ROUTING, autoResolve: { default: "off", bySource: { api: "1h" } } },
        "test",
      );
      const [fired] = await domain.ingest([signal({ source: "api", severity: "critical" })]);
      clock.advance(3_599_000);
      expect((await domain.pipeline.reconcile()).resolved).toBe(0);
      clock.advance(1_000);
      expect((await domain.pipeline.reconcile()).resolved).toBe(1);
      expect(await domain.pages.get(fired?.pageId as number)).toMatchObject({
        status: "resolved",
        resolvedBy: "auto-resolve",
      });
    });
  });
}
