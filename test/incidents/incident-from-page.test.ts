import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageIncidents } from "../../src/incidents/page-incidents.js";
import { pagesSignalSource } from "../../src/incidents/pages-signal-source.js";
import { createLogger } from "../../src/server/logger.js";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { api, type Caller, caller, HOUR, MINUTE, sloWithErrors } from "./api-helpers.js";

const ROUTING = {
  route: {
    name: "default",
    classify: "log",
    routes: [
      { name: "checkout-critical", matchers: ["service=checkout", "severity=critical"], classify: "page" },
      {
        name: "payments",
        matchers: ["service=payments"],
        declareIncident: "SEV2",
        routes: [{ name: "payments-critical", matchers: ["severity=critical"], classify: "page" }],
      },
      { name: "search-ticket", matchers: ["service=search"], classify: "ticket" },
    ],
  },
};

interface TimelineLine {
  at: number;
  kind: string;
  text: string;
  actor?: string;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`incidents and pages on ${dialect}`, () => {
    let t: TestApp;
    let call: ReturnType<typeof api>;
    let alice: Caller;
    let admin: Caller;
    let checkoutPage: number;
    const start = Date.now();

    const send = async (signal: Record<string, unknown>) => {
      const r = await call("POST", "/api/v1/signals", alice, { source: "api", ...signal });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.results[0] as { pageId: number | null; outcome: string; duplicate: boolean };
    };

    beforeAll(async () => {
      t = await createTestApp({ incidents: { detectorEnabled: false } }, dialect);
      call = api(t);
      alice = await caller(t, "alice", "write");
      admin = await caller(t, "root", "admin");
      const put = await call("PUT", "/api/v1/routing", admin, ROUTING);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      // Both SLOs spend about 28% of their budget in 20 hours (1% errors on 99.9%).
      for (const service of ["checkout", "search"]) {
        await sloWithErrors(t, alice, {
          service,
          from: start - 20 * HOUR,
          to: start - MINUTE,
          errorRatio: 0.01,
        });
      }
    });
    afterAll(() => t.close());

    it("a page for the service suppresses the found-without-paging detector", async () => {
      const page = await send({ service: "checkout", title: "Checkout 5xx above 2%", severity: "critical" });
      expect(page.outcome).toBe("page");
      checkoutPage = page.pageId as number;
      // The ticket for search is not a page: its SLO burn is still found without paging.
      expect((await send({ service: "search", title: "Search slow", severity: "warning" })).outcome).toBe(
        "ticket",
      );
      const declared = await t.domains.incidents.detectUnpagedBurn(Date.now());
      expect(declared.map((d) => d.incident.slos)).toEqual([["search/availability"]]);
      expect(await t.domains.incidents.store.list({ service: "checkout" })).toEqual([]);
    });

    it("counts a page for every window it was open in, not only the one it opened in", async () => {
      const source = pagesSignalSource(t.domains.signals.store);
      const later = Date.now() + 48 * HOUR;
      // Still open: it counts for a window that began after it opened.
      expect(await source.pagesFor("checkout", later - 24 * HOUR, later)).toBe(1);
      // A window that ended before it opened, and another service: nothing.
      expect(await source.pagesFor("checkout", start - 48 * HOUR, start - 24 * HOUR)).toBe(0);
      expect(await source.pagesFor("search", start - HOUR, later)).toBe(0);
      expect(await source.page(String(checkoutPage))).toMatchObject({
        id: String(checkoutPage),
        service: "checkout",
        title: "Checkout 5xx above 2%",
        status: "triggered",
        rule: "checkout-critical",
      });
      expect(await source.page("page-4711")).toBeUndefined();
      expect(await source.page("PD-ABC")).toBeUndefined();
    });

    it("declares from a page and shows the page trigger and the acknowledgement in the timeline", async () => {
      const declared = await call("POST", "/api/v1/incidents", alice, {
        title: "Checkout errors",
        severity: "SEV2",
        services: ["checkout"],
        fromPageId: `page-${checkoutPage}`,
      });
      expect(declared.status, JSON.stringify(declared.body)).toBe(201);
      expect(declared.body).toMatchObject({
        source: "page",
        detectionRef: String(checkoutPage),
        pageIds: [String(checkoutPage)],
      });
      const acked = await call("POST", `/api/v1/pages/${checkoutPage}/ack`, alice);
      expect(acked.status).toBe(200);
      const detail = await call("GET", `/api/v1/incidents/${declared.body.id}`);
      const timeline = detail.body.timeline as TimelineLine[];
      const trigger = timeline.find((e) => e.text.startsWith(`Page #${checkoutPage} triggered`));
      const ack = timeline.find((e) => e.kind === "acknowledgement");
      expect(trigger).toMatchObject({ kind: "alert" });
      expect(trigger?.text).toContain("Checkout 5xx above 2%");
      expect(trigger?.text).toContain("rule checkout-critical");
      expect(ack).toMatchObject({ text: `Page #${checkoutPage} acknowledged by alice`, actor: "alice" });
      expect(ack?.at).toBeGreaterThanOrEqual(trigger?.at ?? Number.POSITIVE_INFINITY);
      const received = timeline.filter((e) => e.kind === "signal");
      expect(received.map((e) => e.text)).toEqual([
        "Signal received: Checkout 5xx above 2% (api, checkout, critical) → page by rule checkout-critical",
      ]);
      expect(
        timeline.some((e) => e.text === `Declared from page ${checkoutPage}: Checkout 5xx above 2%`),
      ).toBe(true);
      // Signals of other services stay out.
      expect(timeline.some((e) => e.text.includes("Search slow"))).toBe(false);
    });

    it("collapses repeats of a firing signal and shows its resolution", async () => {
      for (let i = 0; i < 3; i++) {
        await send({
          service: "checkout",
          title: "Checkout 5xx above 2%",
          severity: "critical",
        });
      }
      await send({
        service: "checkout",
        title: "Checkout 5xx above 2%",
        severity: "critical",
        endsAt: new Date().toISOString(),
      });
      const [incident] = (await call("GET", "/api/v1/incidents?service=checkout")).body;
      const timeline = (await call("GET", `/api/v1/incidents/${incident.id}`)).body
        .timeline as TimelineLine[];
      const texts = timeline.filter((e) => e.kind === "signal" || e.kind === "alert").map((e) => e.text);
      expect(texts).toEqual([
        "Signal received: Checkout 5xx above 2% (api, checkout, critical) → page by rule checkout-critical (repeated 3×)",
        expect.stringMatching(/^Page #\d+ triggered/),
        "Signal ended: Checkout 5xx above 2% (api, checkout, critical) → page by rule checkout-critical",
        `Page #${checkoutPage} resolved by signal:api`,
      ]);
    });

    it("declares an incident automatically for a page opened by a route with declareIncident, once", async () => {
      const first = await send({ service: "payments", title: "Card auth failing", severity: "critical" });
      expect(first.outcome).toBe("page");
      const list = async () => (await call("GET", "/api/v1/incidents?service=payments")).body;
      const [incident, ...more] = await list();
      expect(more).toEqual([]);
      expect(incident).toMatchObject({
        title: "Card auth failing",
        severity: "SEV2",
        source: "page",
        declaredBy: "nines",
        services: ["payments"],
        pageIds: [String(first.pageId)],
      });
      const timeline = (await call("GET", `/api/v1/incidents/${incident.id}`)).body
        .timeline as TimelineLine[];
      expect(timeline.map((e) => e.text)).toContain(
        "Declared automatically: routing rule payments-critical declares a SEV2 incident for each page it opens",
      );
      // A repeat of the same signal opens no page and no incident.
      const again = await send({ service: "payments", title: "Card auth failing", severity: "critical" });
      expect(again).toMatchObject({ duplicate: true, pageId: first.pageId });
      // The leader's sweep finds nothing left; a request written again (a crash after declaring) declares nothing.
      expect(await t.domains.incidentLinks.pageIncidents.declareRequested()).toEqual([]);
      await t.domains.signals.store.requestIncident(
        t.database.handle.db,
        first.pageId as number,
        "SEV2",
        "payments",
      );
      expect(await t.domains.incidentLinks.pageIncidents.declareRequested()).toEqual([]);
      expect(await t.domains.signals.store.incidentRequests()).toEqual([]);
      expect(await list()).toHaveLength(1);
      // A warning for payments is not a page (the parent route logs): no incident.
      expect(
        (await send({ service: "payments", title: "Card auth slow", severity: "warning" })).outcome,
      ).toBe("log");
      expect(await list()).toHaveLength(1);
    });

    it("declares on the leader's sweep what the ingesting replica left behind, and takes over stale claims", async () => {
      const links = t.domains.incidentLinks.pageIncidents;
      const store = t.domains.signals.store;
      const db = t.database.handle.db;
      // Two pages whose requests were committed but never declared (as after a crash).
      const a = (await send({ service: "checkout", title: "Cart empty", severity: "critical" }))
        .pageId as number;
      const b = (await send({ service: "checkout", title: "Cart slow", severity: "critical" }))
        .pageId as number;
      await store.requestIncident(db, a, "SEV3", "checkout-critical");
      await store.requestIncident(db, b, "SEV1", "checkout-critical");
      // b was claimed a minute ago by a replica that died.
      const [, claimB] = (await store.incidentRequests()).sort((x, y) => x.pageId - y.pageId);
      expect(await store.claimIncidentRequest(claimB!, Date.now() - MINUTE)).toBe(true);
      expect((await links.declareRequested()).map((i) => [i.pageIds, i.incident.severity])).toEqual([
        [[String(a)], "SEV3"],
      ]);
      // Five minutes later the claim is stale and the sweep declares it.
      const sweep = pageIncidents({
        signals: store,
        incidents: t.domains.incidents.incidents,
        store: t.domains.incidents.store,
        log: createLogger({ level: "silent", pretty: false }),
        now: () => Date.now() + 5 * MINUTE,
      });
      expect((await sweep.declareRequested()).map((i) => [i.pageIds, i.incident.severity])).toEqual([
        [[String(b)], "SEV1"],
      ]);
      expect(await store.incidentRequests()).toEqual([]);
    });

    it("rejects a routing route with a declareIncident that is not a severity, or that can never page", async () => {
      const bad = await call("PUT", "/api/v1/routing", admin, {
        route: {
          routes: [
            { matchers: ["service=db"], classify: "page", declareIncident: "SEV5" },
            { matchers: ["service=web"], classify: "ticket", declareIncident: "SEV3" },
          ],
        },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("NINES_ERR_SIGNALS_ROUTING_INVALID");
      expect(bad.body.error.details).toEqual(
        expect.arrayContaining([
          {
            path: "route.routes[0].declareIncident",
            message: '"SEV5" is not an incident severity: use one of SEV1, SEV2, SEV3, SEV4',
          },
          {
            path: "route.routes[1].declareIncident",
            message:
              "has no effect: neither this route nor any route below it classifies as page (it classifies as ticket)",
          },
        ]),
      );
      const wrongType = await call("PUT", "/api/v1/routing", admin, {
        route: { routes: [{ classify: "page", declareIncident: 2 }] },
      });
      expect(wrongType.status).toBe(400);
      expect(JSON.stringify(wrongType.body.error.details)).toContain("route.routes[0].declareIncident");
    });
  });
}
