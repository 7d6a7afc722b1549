import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPageLink } from "../../src/signals/page-links.js";
import { postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

const DIALECTS = ["sqlite", "postgres"] as const;

const ROUTING = {
  route: {
    name: "default",
    classify: "log",
    receiver: "ops",
    routes: [
      { name: "slo-page", matchers: ['source="slo"', 'severity="page"'], classify: "page" },
      { name: "db-critical", matchers: ["service=db", "severity=critical"], classify: "page" },
    ],
  },
};

function webhook(status: "firing" | "resolved") {
  return {
    version: "4",
    groupKey: '{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    status,
    receiver: "nines",
    groupLabels: { alertname: "DiskFull" },
    commonLabels: { alertname: "DiskFull" },
    commonAnnotations: {},
    externalURL: "http://am.example.com",
    alerts: [
      {
        status,
        labels: { alertname: "DiskFull", service: "db", severity: "critical", instance: "db-1" },
        annotations: { summary: "disk 97% full" },
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: status === "resolved" ? "2026-01-01T00:10:00Z" : "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.example.com/graph",
        fingerprint: "d1sk",
      },
    ],
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(
    `signals and pages API on ${dialect}`,
    () => {
      let t: TestApp;
      let write: string;
      let admin: string;
      beforeAll(async () => {
        t = await createTestApp({}, dialect);
        write = await t.token("write");
        admin = await t.token("admin");
      });
      afterAll(() => t.close());

      const post = (url: string, payload?: unknown, token = write) =>
        t.app.inject({
          method: "POST",
          url,
          headers: { authorization: `Bearer ${token}` },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });

      it("refuses a malformed batch naming each field, and stores none of it", async () => {
        const good = { source: "api", service: "web", title: "ok", severity: "info" };
        const response = await post("/api/v1/signals", {
          signals: [
            good,
            good,
            good,
            { source: "api", service: "web", severity: "info", labels: { "bad-name": "x" } },
          ],
        });
        expect(response.statusCode).toBe(400);
        const error = response.json().error;
        expect(error.code).toBe("NINES_ERR_SIGNALS_SIGNAL_INVALID");
        expect(error.details.map((d: { path: string }) => d.path)).toEqual(
          expect.arrayContaining(["signals[3].title", "signals[3].labels.bad-name"]),
        );
        expect((await t.app.inject({ url: "/api/v1/signals" })).json()).toEqual([]);
        const single = await post("/api/v1/signals", { ...good, startsAt: "yesterday" });
        expect(single.statusCode).toBe(400);
        expect(single.json().error.details[0].path).toBe("startsAt");
        expect((await post("/api/v1/signals", { signals: [] })).json().error.details[0].path).toBe("signals");
      });

      it("stores a routing config only for an admin, and names each invalid field path", async () => {
        const put = (payload: unknown, token = admin) =>
          t.app.inject({
            method: "PUT",
            url: "/api/v1/routing",
            headers: { authorization: `Bearer ${token}` },
            payload: payload as object,
          });
        expect((await t.app.inject({ url: "/api/v1/routing" })).json()).toMatchObject({ version: 0 });
        expect((await put(ROUTING, write)).statusCode).toBe(403);
        const bad = await put({
          route: { routes: [{ matchers: ["service=~("] }, { groupWait: "soon" }] },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual([
          "route.routes[0].matchers[0]",
          "route.routes[1].groupWait",
        ]);
        const ok = await put(ROUTING);
        expect(ok.statusCode).toBe(200);
        expect(ok.json()).toMatchObject({ version: 1, updatedBy: "test-admin" });
        const tested = await post("/api/v1/routing/test", {
          labels: { service: "db", severity: "critical" },
        });
        expect(tested.json()).toMatchObject({
          outcome: "page",
          rule: { name: "db-critical", path: "route.routes[1]" },
          receiver: "ops",
        });
      });

      it("turns a signal into a page that can be acknowledged, resolved and reviewed", async () => {
        const sent = await post("/api/v1/signals", {
          source: "api",
          service: "db",
          title: "Replication lag",
          severity: "critical",
          labels: { cluster: "eu-1" },
        });
        expect(sent.statusCode).toBe(200);
        const [result] = sent.json().results;
        expect(result).toMatchObject({ outcome: "page", rule: { name: "db-critical" }, duplicate: false });
        const detail = (await t.app.inject({ url: `/api/v1/signals/${result.fingerprint}` })).json();
        expect(detail.classification).toMatchObject({ outcome: "page", rule: { path: "route.routes[1]" } });
        const open = (await t.app.inject({ url: "/api/v1/pages?status=open" })).json();
        expect(open.map((p: { id: number }) => p.id)).toContain(result.pageId);
        const id = result.pageId as number;
        expect((await post(`/api/v1/pages/${id}/actionable`, { actionable: true })).statusCode).toBe(409);
        const acked = await post(`/api/v1/pages/${id}/ack`);
        expect(acked.json()).toMatchObject({ status: "acknowledged", ackedBy: "test-write" });
        expect((await post(`/api/v1/pages/${id}/resolve`)).json()).toMatchObject({ status: "resolved" });
        expect((await post(`/api/v1/pages/${id}/ack`)).statusCode).toBe(409);
        const reviewed = await post(`/api/v1/pages/${id}/actionable`, {
          actionable: false,
          reason: "flapping",
        });
        expect(reviewed.json()).toMatchObject({ actionable: false, actionableReason: "flapping" });
        const report = (await t.app.inject({ url: "/api/v1/pages/actionability" })).json();
        expect(report.byAlert).toEqual([
          {
            alert: "Replication lag",
            pages: 1,
            nonActionable: 1,
            nonActionableShare: 1,
            reasons: { flapping: 1 },
          },
        ]);
        const outbox = await t.database.handle.db
          .selectFrom("notifications")
          .selectAll()
          .where("subject_id", "=", String(id))
          .execute();
        expect(outbox.length).toBeGreaterThanOrEqual(2);
      });

      it("accepts a signed one-click link and refuses a forged or expired one", async () => {
        const [result] = (
          await post("/api/v1/signals", {
            source: "api",
            service: "db",
            title: "Link test",
            severity: "critical",
          })
        ).json().results;
        const id = result.pageId as number;
        const secret = (
          await t.database.handle.db
            .selectFrom("signal_settings")
            .select("value")
            .where("name", "=", "link-secret")
            .executeTakeFirstOrThrow()
        ).value;
        const url = new URL(t.domains.signals.pages.links(id, "ana").acknowledgeUrl);
        const sigOk = url.searchParams.get("sig") as string;
        const flipped = `${sigOk.slice(0, -1)}${sigOk.endsWith("0") ? "1" : "0"}`;
        const forged = `${url.pathname}${url.search.replace(sigOk, flipped)}`;
        expect(forged).not.toBe(`${url.pathname}${url.search}`);
        expect((await t.app.inject({ url: forged })).statusCode).toBe(403);
        const otherPerson = `${url.pathname}?${url.searchParams.toString().replace("by=ana", "by=eve")}`;
        expect((await t.app.inject({ url: otherPerson })).statusCode).toBe(403);
        const expires = Date.now() - 1;
        const sig = signPageLink(secret, { pageId: id, action: "ack", expires });
        const expired = await t.app.inject({ url: `/api/v1/pages/${id}/ack?expires=${expires}&sig=${sig}` });
        expect(expired.statusCode).toBe(403);
        expect(expired.json().error.code).toBe("NINES_ERR_PAGES_LINK_INVALID");
        expect((await t.app.inject({ url: `/api/v1/pages/${id}` })).json().status).toBe("triggered");
        const ok = await t.app.inject({ url: `${url.pathname}${url.search}` });
        expect(ok.statusCode).toBe(200);
        expect(ok.headers["content-type"]).toMatch(/text\/html/);
        expect((await t.app.inject({ url: `/api/v1/pages/${id}` })).json()).toMatchObject({
          status: "acknowledged",
          ackedBy: "ana",
        });
      });

      it("turns an Alertmanager webhook alert into a signal and a page, and its resolve resolves it", async () => {
        const fired = await post("/api/v1/integrations/alertmanager", webhook("firing"));
        expect(fired.json()).toEqual({ received: 1 });
        const signal = (await t.app.inject({ url: "/api/v1/signals/am:d1sk" })).json().signal;
        expect(signal).toMatchObject({
          source: "alertmanager",
          service: "db",
          title: "DiskFull",
          severity: "critical",
          description: "disk 97% full",
          outcome: "page",
          rule: { name: "db-critical" },
          status: "firing",
        });
        const page = (await t.app.inject({ url: `/api/v1/pages/${signal.pageId}` })).json();
        expect(page).toMatchObject({ status: "triggered", title: "DiskFull" });
        // The webhook's own record is kept as before.
        expect((await t.app.inject({ url: "/api/v1/integrations/alertmanager/alerts" })).json()).toHaveLength(
          1,
        );
        await post("/api/v1/integrations/alertmanager", webhook("resolved"));
        expect((await t.app.inject({ url: `/api/v1/pages/${signal.pageId}` })).json()).toMatchObject({
          status: "resolved",
          resolvedBy: "signal:alertmanager",
        });
      });
    },
  );
}
