import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { api, type Caller, caller, MINUTE } from "./api-helpers.js";

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`incident API on ${dialect}`, () => {
    let t: TestApp;
    let call: ReturnType<typeof api>;
    let alice: Caller;
    let reader: Caller;
    const count = async (table: "incidents" | "incident_timeline") =>
      Number(
        (
          await t.database.handle.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await createTestApp({}, dialect);
      call = api(t);
      alice = await caller(t, "alice", "write");
      reader = await caller(t, "rita", "read");
    });
    afterAll(() => t.close());

    it("declares an incident from a page, lists it by filters and shows it with its timeline", async () => {
      const declared = await call("POST", "/api/v1/incidents", alice, {
        title: "Checkout 5xx after config push",
        severity: "SEV2",
        services: ["checkout"],
        fromPageId: "page-77",
        commander: "alice",
        causeTags: ["bad config push"],
      });
      expect(declared.status).toBe(201);
      expect(declared.body).toMatchObject({
        title: "Checkout 5xx after config push",
        severity: "SEV2",
        status: "investigating",
        source: "page",
        declaredBy: "alice",
        detectionRef: "page-77",
        pageIds: ["page-77"],
        roles: { commander: "alice" },
        postmortemRequirement: null,
        postmortem: null,
      });
      const id = declared.body.id as string;
      expect(id).toMatch(/^inc-\d+$/);
      await call("POST", "/api/v1/incidents", alice, {
        title: "Search slow",
        severity: "SEV4",
        services: ["search"],
      });

      const bySevice = await call("GET", "/api/v1/incidents?service=checkout");
      expect(bySevice.body.map((i: { id: string }) => i.id)).toEqual([id]);
      const bySeverity = await call("GET", "/api/v1/incidents?severity=SEV4");
      expect(bySeverity.body.map((i: { title: string }) => i.title)).toEqual(["Search slow"]);
      expect((await call("GET", "/api/v1/incidents?status=open")).body).toHaveLength(2);
      expect((await call("GET", "/api/v1/incidents?status=resolved")).body).toHaveLength(0);

      const note = await call("POST", `/api/v1/incidents/${id}/timeline`, alice, {
        text: "Rolled back config 42",
      });
      expect(note.status).toBe(201);
      const detail = await call("GET", `/api/v1/incidents/${id}`);
      expect(detail.status).toBe(200);
      const kinds = detail.body.timeline.map((e: { kind: string }) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(["detection", "status", "role", "note"]));
      expect(detail.body.timeline.at(-1)).toMatchObject({
        kind: "note",
        text: "Rolled back config 42",
        actor: "alice",
      });
      const times = detail.body.timeline.map((e: { at: number }) => e.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it("moves status only along the state machine and hands roles off", async () => {
      const { body } = await call("POST", "/api/v1/incidents", alice, {
        title: "Login errors",
        severity: "SEV3",
        services: ["auth"],
      });
      const id = body.id as string;
      const mitigated = await call("PATCH", `/api/v1/incidents/${id}`, alice, {
        status: "mitigated",
        note: "traffic drained from eu-west",
        roles: { commander: "bob", scribe: "carol" },
        severity: "SEV2",
      });
      expect(mitigated.status).toBe(200);
      expect(mitigated.body).toMatchObject({
        status: "mitigated",
        severity: "SEV2",
        roles: { commander: "bob", scribe: "carol" },
      });
      expect(mitigated.body.mitigatedAt).toEqual(expect.any(Number));

      const illegal = await call("PATCH", `/api/v1/incidents/${id}`, alice, { status: "identified" });
      expect(illegal.status).toBe(409);
      expect(illegal.body.error.code).toBe("NINES_ERR_INCIDENT_TRANSITION_ILLEGAL");
      expect(illegal.body.error.details.allowed).toEqual(["investigating", "resolved"]);

      const handoff = await call("PATCH", `/api/v1/incidents/${id}`, alice, {
        roles: { commander: "dave", scribe: null },
      });
      expect(handoff.body.roles).toEqual({ commander: "dave" });
      expect(handoff.body.roleHistory.filter((r: { role: string }) => r.role === "commander")).toHaveLength(
        2,
      );

      const resolved = await call("POST", `/api/v1/incidents/${id}/resolve`, alice, {});
      expect(resolved.body.status).toBe("resolved");
      const again = await call("POST", `/api/v1/incidents/${id}/resolve`, alice, {});
      expect(again.status).toBe(409);
      const closedRoles = await call("PATCH", `/api/v1/incidents/${id}`, alice, {
        roles: { commander: "erin" },
      });
      expect(closedRoles.status).toBe(409);
      expect(closedRoles.body.error.code).toBe("NINES_ERR_INCIDENT_CLOSED");
      const reopened = await call("PATCH", `/api/v1/incidents/${id}`, alice, {
        status: "investigating",
        note: "errors are back",
      });
      expect(reopened.body).toMatchObject({ status: "investigating" });
      expect(reopened.body.resolvedAt).toBeUndefined();
    });

    it("lets a read token read but not declare, change, note or resolve", async () => {
      const before = await count("incidents");
      const declared = await call("POST", "/api/v1/incidents", reader, {
        title: "x",
        severity: "SEV4",
        services: ["a"],
      });
      expect(declared.status).toBe(403);
      const anonymous = await call("POST", "/api/v1/incidents", undefined, {
        title: "x",
        severity: "SEV4",
        services: ["a"],
      });
      expect(anonymous.status).toBe(401);
      const [first] = (await call("GET", "/api/v1/incidents", reader)).body;
      for (const [method, url, payload] of [
        ["PATCH", `/api/v1/incidents/${first.id}`, { severity: "SEV1" }],
        ["POST", `/api/v1/incidents/${first.id}/timeline`, { text: "hi" }],
        ["POST", `/api/v1/incidents/${first.id}/resolve`, {}],
        ["POST", `/api/v1/incidents/${first.id}/postmortem`, {}],
      ] as const) {
        expect((await call(method, url, reader, payload)).status).toBe(403);
      }
      expect(await count("incidents")).toBe(before);
      expect((await call("GET", `/api/v1/incidents/${first.id}`, reader)).body.incident.severity).toBe(
        first.severity,
      );
    });

    it("refuses malformed input with 400 naming the field and writes nothing", async () => {
      const incidents = await count("incidents");
      const timeline = await count("incident_timeline");
      const cases: Array<[string, string, unknown, string]> = [
        ["POST", "/api/v1/incidents", { title: "t", severity: "SEV5", services: ["a"] }, "body.severity"],
        ["POST", "/api/v1/incidents", { title: "t", severity: "SEV1", services: [] }, "body.services"],
        ["POST", "/api/v1/incidents", { title: "t", severity: "SEV1" }, "body.services"],
        [
          "POST",
          "/api/v1/incidents",
          { title: "t", severity: "SEV1", services: ["a"], colour: "red" },
          "body.colour",
        ],
        ["POST", "/api/v1/incidents", { title: "a\nb", severity: "SEV1", services: ["a"] }, "body.title"],
        [
          "POST",
          "/api/v1/incidents",
          { title: "t", severity: "SEV1", services: ["a"], customerImpact: { dataLoss: "yes" } },
          "body.customerImpact.dataLoss",
        ],
        [
          "POST",
          "/api/v1/incidents",
          { title: "t", severity: "SEV1", services: ["a"], impactStartedAt: -5 },
          "body.impactStartedAt",
        ],
      ];
      for (const [method, url, payload, field] of cases) {
        const response = await call(method as "POST", url, alice, payload);
        expect(response.status, JSON.stringify(payload)).toBe(400);
        expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
      }
      const [first] = (await call("GET", "/api/v1/incidents")).body;
      const patch = await call("PATCH", `/api/v1/incidents/${first.id}`, alice, { status: "closed" });
      expect(patch.status).toBe(400);
      expect(patch.body.error.details[0].path).toBe("body.status");
      const role = await call("PATCH", `/api/v1/incidents/${first.id}`, alice, { roles: { captain: "x" } });
      expect(role.body.error.details[0].path).toBe("body.roles.captain");
      const note = await call("POST", `/api/v1/incidents/${first.id}/timeline`, alice, { text: "" });
      expect(note.body.error.details[0].path).toBe("body.text");
      const badId = await call("GET", "/api/v1/incidents/banana");
      expect(badId.status).toBe(400);
      expect(badId.body.error.details[0].path).toBe("params.id");
      expect((await call("GET", "/api/v1/incidents/inc-999999")).status).toBe(404);
      expect(await count("incidents")).toBe(incidents);
      expect(await count("incident_timeline")).toBe(timeline);
    });

    it("keeps the timeline in time order when a note is dated in the past", async () => {
      const { body } = await call("POST", "/api/v1/incidents", alice, {
        title: "Queue backlog",
        severity: "SEV3",
        services: ["jobs"],
      });
      const earlier = Date.now() - 30 * MINUTE;
      await call("POST", `/api/v1/incidents/${body.id}/timeline`, alice, {
        text: "first retries seen",
        at: earlier,
      });
      const detail = await call("GET", `/api/v1/incidents/${body.id}`);
      expect(detail.body.timeline[0]).toMatchObject({ at: earlier, text: "first retries seen" });
    });
  });
}
