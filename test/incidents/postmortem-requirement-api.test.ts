import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentSignalSource } from "../../src/incidents/incident-signal-source.js";
import { createIncidentsDomain } from "../../src/incidents/incidents-domain.js";
import { createLogger } from "../../src/server/logger.js";
import { configWith } from "../support/config-overrides.js";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { api, type Caller, caller, HOUR, MINUTE, sloWithErrors } from "./api-helpers.js";

/** Declares (from a page, so that monitoring-failure stays quiet), changes and resolves; returns the requirement. */
async function resolveWith(
  call: ReturnType<typeof api>,
  who: Caller,
  declare: Record<string, unknown>,
  during?: (id: string) => Promise<void>,
) {
  const declared = await call("POST", "/api/v1/incidents", who, {
    title: "Rule check",
    severity: "SEV3",
    services: ["payments"],
    fromPageId: "page-1",
    ...declare,
  });
  expect(declared.status, JSON.stringify(declared.body)).toBe(201);
  if (during) await during(declared.body.id);
  const resolved = await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, who, {});
  expect(resolved.status).toBe(200);
  return resolved.body.postmortemRequirement as {
    required: boolean;
    triggers: Array<{ ruleId: string; reason: string }>;
    dueAt?: number;
  };
}

const ruleIds = (r: { triggers: Array<{ ruleId: string }> }) => r.triggers.map((t) => t.ruleId);

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(
    `postmortem requirement on ${dialect}`,
    () => {
      let t: TestApp;
      let call: ReturnType<typeof api>;
      let alice: Caller;

      beforeAll(async () => {
        t = await createTestApp({}, dialect);
        call = api(t);
        alice = await caller(t, "alice", "write");
      });
      afterAll(() => t.close());

      it("requires nothing for a short paged SEV3 without user impact, and says so", async () => {
        const r = await resolveWith(call, alice, {});
        expect(r).toEqual({ required: false, triggers: [] });
      });

      it("requires one for user-visible impact longer than five minutes, and not for five", async () => {
        const long = await resolveWith(call, alice, {
          customerImpact: { userVisible: true, userVisibleDurationMs: 6 * MINUTE },
        });
        expect(ruleIds(long)).toEqual(["user-visible-impact"]);
        expect(long.dueAt).toEqual(expect.any(Number));
        const exact = await resolveWith(call, alice, {
          customerImpact: { userVisible: true, userVisibleDurationMs: 5 * MINUTE },
        });
        expect(ruleIds(exact)).toEqual([]);
      });

      it("requires one for any data loss", async () => {
        expect(ruleIds(await resolveWith(call, alice, { customerImpact: { dataLoss: true } }))).toEqual([
          "data-loss",
        ]);
      });

      it("requires one when on-call rolled back", async () => {
        const r = await resolveWith(call, alice, {}, async (id) => {
          const response = await call("POST", `/api/v1/incidents/${id}/interventions`, alice, {
            kind: "rollback",
            note: "v41",
          });
          expect(response.status).toBe(200);
        });
        expect(ruleIds(r)).toEqual(["on-call-intervention"]);
        expect(r.triggers[0]?.reason).toContain("rollback");
      });

      it("requires one when resolution took longer than an hour from impact start", async () => {
        const r = await resolveWith(call, alice, { impactStartedAt: Date.now() - 2 * HOUR });
        expect(ruleIds(r)).toEqual(["resolution-time"]);
      });

      it("requires one when a person found it instead of a page (monitoring failure)", async () => {
        const declared = await call("POST", "/api/v1/incidents", alice, {
          title: "Customer reports failed refunds",
          severity: "SEV3",
          services: ["refunds"],
        });
        expect(declared.body.source).toBe("manual");
        const resolved = await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, alice, {});
        expect(ruleIds(resolved.body.postmortemRequirement)).toEqual(["monitoring-failure"]);
        expect(resolved.body.postmortemRequirement.triggers[0].reason).toContain("a person");
      });

      it("requires one for SEV1 and SEV2", async () => {
        expect(ruleIds(await resolveWith(call, alice, { severity: "SEV1" }))).toEqual(["severity"]);
        expect(ruleIds(await resolveWith(call, alice, { severity: "SEV2" }))).toEqual(["severity"]);
        expect(ruleIds(await resolveWith(call, alice, { severity: "SEV4" }))).toEqual([]);
      });

      it("requires one when the incident spent more than 20% of an SLO's budget, measured from the SLO data", async () => {
        const now = Date.now();
        const slo = await sloWithErrors(t, alice, {
          service: "ledger",
          from: now - 45 * MINUTE,
          to: now - MINUTE,
          errorRatio: 0.5,
        });
        const r = await resolveWith(call, alice, {
          services: ["ledger"],
          impactStartedAt: now - 50 * MINUTE,
        });
        expect(ruleIds(r)).toEqual(["budget-consumed"]);
        expect(r.triggers[0]?.reason).toContain(slo);
        const [incident] = (await call("GET", "/api/v1/incidents?service=ledger")).body;
        expect(incident.slos).toEqual([slo]);
        // 50% errors against a 0.1% budget is burn rate 500; ~45 min of it in 30 days ≈ 52% of the budget.
        expect(incident.budgetConsumed[0].fraction).toBeGreaterThan(0.45);
        expect(incident.budgetConsumed[0].fraction).toBeLessThan(0.6);
      });

      it("records the requirement on the incident and in its timeline", async () => {
        const declared = await call("POST", "/api/v1/incidents", alice, {
          title: "Lost orders",
          severity: "SEV1",
          services: ["orders"],
          customerImpact: { dataLoss: true },
        });
        await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, alice, {});
        const detail = await call("GET", `/api/v1/incidents/${declared.body.id}`);
        expect(ruleIds(detail.body.incident.postmortemRequirement)).toEqual([
          "data-loss",
          "monitoring-failure",
          "severity",
        ]);
        expect(detail.body.timeline.map((e: { text: string }) => e.text)).toContain(
          "Postmortem required by data-loss, monitoring-failure, severity",
        );
      });
    },
  );

  describe.skipIf(dialect === "postgres" && !postgresAvailable())(
    `requirement rules from configuration on ${dialect}`,
    () => {
      let t: TestApp;
      let call: ReturnType<typeof api>;
      let alice: Caller;
      beforeAll(async () => {
        t = await createTestApp(
          {
            incidents: {
              postmortemRules: "resolution-time, severity",
              resolutionTimeMinutes: 10,
              postmortemSeverities: "SEV1",
            },
          },
          dialect,
        );
        call = api(t);
        alice = await caller(t, "alice", "write");
      });
      afterAll(() => t.close());

      it("uses the configured rules and thresholds only", async () => {
        const declared = await call("POST", "/api/v1/incidents", alice, {
          title: "Configured",
          severity: "SEV2",
          services: ["x"],
          impactStartedAt: Date.now() - 15 * MINUTE,
          customerImpact: { dataLoss: true },
        });
        const resolved = await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, alice, {});
        expect(ruleIds(resolved.body.postmortemRequirement)).toEqual(["resolution-time"]);
      });
    },
  );

  describe.skipIf(dialect === "postgres" && !postgresAvailable())(
    `found without paging on ${dialect}`,
    () => {
      let t: TestApp;
      let call: ReturnType<typeof api>;
      let alice: Caller;
      const now = Date.now();

      beforeAll(async () => {
        t = await createTestApp({}, dialect);
        call = api(t);
        alice = await caller(t, "alice", "write");
        // 1% errors against a 99.9% objective for 20 hours: burn rate 10, 10 × 20 h / 720 h ≈ 28% of the budget.
        await sloWithErrors(t, alice, {
          service: "checkout",
          from: now - 20 * HOUR,
          to: now - MINUTE,
          errorRatio: 0.01,
        });
        // 0.1% errors: burn rate 1 for 20 h ≈ 2.8%, under the 5% threshold.
        await sloWithErrors(t, alice, {
          service: "search",
          from: now - 20 * HOUR,
          to: now - MINUTE,
          errorRatio: 0.001,
        });
      });
      afterAll(() => t.close());

      it("declares one incident per burn episode for an SLO that burned budget without a page", async () => {
        const declared = await t.domains.incidents.detectUnpagedBurn(now);
        expect(declared.map((d) => d.incident.slos)).toEqual([["checkout/availability"]]);
        const [incident] = (
          await call(
            "GET",
            "/api/v1/incidents?source=detector".replace("?source=detector", "?service=checkout"),
          )
        ).body;
        expect(incident).toMatchObject({
          source: "detector",
          severity: "SEV4",
          declaredBy: "nines",
          services: ["checkout"],
        });
        expect(incident.title).toMatch(
          /checkout\/availability spent 2\d\.\d% of its error budget without a page/,
        );

        // The next runs see the same episode (and the open incident): nothing new.
        expect(await t.domains.incidents.detectUnpagedBurn(now + MINUTE)).toEqual([]);
        await call("POST", `/api/v1/incidents/${incident.id}/resolve`, alice, {});
        expect(await t.domains.incidents.detectUnpagedBurn(now + 2 * MINUTE)).toEqual([]);
        expect((await call("GET", "/api/v1/incidents")).body).toHaveLength(1);
      });

      it("requires a postmortem for the detector's incident: monitoring failure and budget consumed", async () => {
        const [incident] = (await call("GET", "/api/v1/incidents?service=checkout")).body;
        expect(incident.status).toBe("resolved");
        const rules = ruleIds(incident.postmortemRequirement);
        expect(rules).toContain("monitoring-failure");
        expect(rules).toContain("budget-consumed");
        expect(
          incident.postmortemRequirement.triggers.find(
            (x: { ruleId: string }) => x.ruleId === "monitoring-failure",
          ).reason,
        ).toContain("budget-burn detector");
        const detail = await call("GET", `/api/v1/incidents/${incident.id}`);
        expect(
          detail.body.timeline.some(
            (e: { kind: string; text: string }) =>
              e.kind === "detection" && e.text.startsWith("Found without paging"),
          ),
        ).toBe(true);
      });

      it("declares nothing for an SLO whose service paged in the window", async () => {
        const paged: IncidentSignalSource = {
          related: async () => [],
          pagesFor: async (service) => (service === "checkout" ? 1 : 0),
          page: async () => undefined,
        };
        const logger = createLogger({ level: "silent", pretty: false });
        const domain = createIncidentsDomain(t.database.handle.db, logger, {
          config: configWith({}).incidents,
          sloRuntime: t.slo.runtime,
          signals: paged,
        });
        await t.database.handle.db.deleteFrom("incident_burn_episodes").execute();
        expect(await domain.detectUnpagedBurn(now + 3 * MINUTE)).toEqual([]);
        // Without the page, a new episode starts once the old one is gone.
        expect((await t.domains.incidents.detectUnpagedBurn(now + 4 * MINUTE)).map((d) => d.source)).toEqual([
          "detector",
        ]);
      });

      it("starts a new episode only after the spend fell back under the threshold", async () => {
        const later = now + 2 * 24 * HOUR; // the burn has left the 24 h window
        const open = (await call("GET", "/api/v1/incidents?status=open")).body;
        for (const o of open) await call("POST", `/api/v1/incidents/${o.id}/resolve`, alice, {});
        expect(await t.domains.incidents.detectUnpagedBurn(later)).toEqual([]);
        const episodes = await t.database.handle.db
          .selectFrom("incident_burn_episodes")
          .selectAll()
          .execute();
        expect(episodes.every((e) => e.ended_at === later)).toBe(true);
      });
    },
  );
}
