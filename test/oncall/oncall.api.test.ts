import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { oncallDocument } from "./oncall-document.js";

const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`on-call API on ${dialect}`, () => {
    let t: TestApp;
    let write: string;
    let read: string;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    beforeAll(async () => {
      t = await createTestApp({ auth: { requireTokenForReads: true } }, dialect);
      write = await t.token("write");
      read = await t.token("read");
      const applied = await t.app.inject({
        method: "PUT",
        url: "/api/v1/oncall/config",
        headers: auth(write),
        payload: oncallDocument(),
      });
      expect(applied.statusCode, applied.body).toBe(200);
      expect(applied.json().results).toContainEqual({
        kind: "schedules",
        id: "storage-primary",
        outcome: "created",
      });
    });
    afterAll(() => t.close());

    const now = async (at: string) => {
      const response = await t.app.inject({
        method: "GET",
        url: `/api/v1/oncall/now?team=storage&at=${encodeURIComponent(at)}`,
        headers: auth(read),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().entries[0];
    };

    it("answers who is on call across the spring DST change, handing off at 09:00 Berlin time", async () => {
      // Winter: Monday 09:00 CET is 08:00Z. Ben takes the week from ana.
      expect(await now("2026-03-23T07:59:00Z")).toMatchObject({ personId: "ana", layer: { id: "base" } });
      // After the change on 29 March, Monday 09:00 CEST is 07:00Z: ben hands to chen an hour earlier in UTC,
      // at the moment dee's business-hours layer opens.
      const before = await now("2026-03-30T06:59:00Z");
      expect(before).toMatchObject({
        personId: "ben",
        person: {
          name: "Ben Brandt",
          contacts: [{ kind: "email", address: "ben@example.com" }, { kind: "sms" }],
        },
        layer: { id: "base", name: "Weekly" },
        override: false,
        schedule: { id: "storage-primary", timeZone: "Europe/Berlin" },
        team: { id: "storage", name: "Storage" },
      });
      expect(iso(before.until)).toBe("2026-03-30T07:00:00.000Z");
      expect(before.next).toMatchObject({ personId: "dee", start: Date.parse("2026-03-30T07:00:00Z") });
      expect(await now("2026-03-30T07:00:00Z")).toMatchObject({
        personId: "dee",
        layer: { id: "day", name: "Business hours" },
      });
      const evening = await now("2026-03-30T15:30:00Z");
      expect(evening).toMatchObject({ personId: "chen", layer: { id: "base" } });
      expect(iso(evening.since)).toBe("2026-03-30T15:00:00.000Z");
      expect(iso(evening.until)).toBe("2026-03-31T07:00:00.000Z");
    });

    it("swaps a shift with an override and undoes it", async () => {
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/storage-primary/overrides",
        headers: auth(write),
        payload: {
          id: "dentist",
          personId: "zoe",
          start: "2026-03-31T20:00:00Z",
          end: "2026-04-01T02:00:00Z",
          reason: "chen at the dentist",
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(await now("2026-03-31T22:00:00Z")).toMatchObject({
        personId: "zoe",
        override: true,
        layer: null,
      });
      const shifts = await t.app.inject({
        method: "GET",
        url: "/api/v1/schedules/storage-primary/shifts?from=2026-03-31T17:00:00Z&to=2026-04-01T07:00:00Z",
        headers: auth(read),
      });
      expect(
        shifts.json().shifts.map((s: { personId: string; override: boolean }) => [s.personId, s.override]),
      ).toEqual([
        ["chen", false],
        ["zoe", true],
        ["chen", false],
      ]);
      expect(shifts.json().overrides).toEqual([
        expect.objectContaining({ id: "dentist", personId: "zoe", reason: "chen at the dentist" }),
      ]);
      const removed = await t.app.inject({
        method: "DELETE",
        url: "/api/v1/schedules/storage-primary/overrides/dentist",
        headers: auth(write),
      });
      expect(removed.statusCode).toBe(204);
      expect(await now("2026-03-31T22:00:00Z")).toMatchObject({ personId: "chen", override: false });
    });

    it("takes over the shift under way in one action and refuses a second take-over by the same person", async () => {
      const before = Date.now();
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/storage-primary/take-over",
        headers: auth(write),
        payload: { personId: "zoe", reason: "on-call is ill" },
      });
      expect(response.statusCode, response.body).toBe(201);
      const { override, replaced } = response.json();
      expect(override).toMatchObject({ personId: "zoe", reason: "on-call is ill" });
      expect(override.start).toBeGreaterThanOrEqual(before);
      expect(override.end).toBeGreaterThan(override.start);
      expect(["ana", "ben", "chen", "dee"]).toContain(replaced);
      expect(await now(iso(override.start + 1))).toMatchObject({ personId: "zoe", override: true });
      const again = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/storage-primary/take-over",
        headers: auth(write),
        payload: { personId: "zoe" },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe("NINES_ERR_ONCALL_ALREADY_ON_CALL");
      const unknown = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/storage-primary/take-over",
        headers: auth(write),
        payload: { personId: "ghost" },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.details).toEqual([{ path: "personId", message: 'no person "ghost"' }]);
    });

    it("notifies the next on-call through the outbox and says who and when", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/storage-primary/notify-next",
        headers: auth(write),
        payload: {},
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.notified).toBe(true);
      expect(["ana", "ben", "chen", "dee"]).toContain(body.personId);
      expect(body.start).toBeGreaterThan(Date.now() - 1000);
      const rows = await t.database.handle.db
        .selectFrom("notifications")
        .select(["target_type", "target_ref", "event"])
        .where("target_type", "=", "person")
        .execute();
      expect(rows).toContainEqual({ target_type: "person", target_ref: body.personId, event: "escalate" });
    });

    it("exports a person's shifts as iCalendar, with the token in the query for calendar apps", async () => {
      const response = await t.app.inject({
        method: "GET",
        url: `/api/v1/people/ben/shifts.ics?from=2026-03-16T00:00:00Z&to=2026-03-30T00:00:00Z&token=${read}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/calendar/);
      const ics = response.body;
      expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
      expect(ics).toContain("X-WR-CALNAME:On call: Ben Brandt");
      // Ben's week starts Monday 23 March 09:00 CET, when dee's business hours open: his first shift is that evening.
      expect(ics).toContain("DTSTART:20260323T160000Z\r\nDTEND:20260324T080000Z");
      expect(ics).toContain("DTSTART:20260327T160000Z\r\nDTEND:20260330T000000Z");
      expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(5);
      expect(ics).not.toMatch(/DTSTART:2026031[6-9]/);
      const anonymous = await t.app.inject({ method: "GET", url: "/api/v1/people/ben/shifts.ics" });
      expect(anonymous.statusCode).toBe(401);
    });

    it("flags a gap in the schedule check", async () => {
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules",
        headers: auth(write),
        payload: {
          id: "days-only",
          name: "Days only",
          layers: [
            {
              id: "day",
              name: "Day",
              rotation: {
                participants: ["ana", "ben"],
                length: { unit: "days", count: 1 },
                handoffTime: "08:00",
                timeZone: "Europe/Berlin",
                startDate: "2026-03-01",
              },
              restrictions: [{ start: "08:00", end: "20:00" }],
            },
          ],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().overrides).toEqual([]);
      const check = await t.app.inject({
        method: "GET",
        url: "/api/v1/schedules/days-only/check?weeks=1&from=2026-03-02T07:00:00Z",
        headers: auth(read),
      });
      expect(check.statusCode, check.body).toBe(200);
      const body = check.json();
      expect(body.ok).toBe(false);
      expect(body.gaps[0]).toEqual({
        start: Date.parse("2026-03-02T19:00:00Z"),
        end: Date.parse("2026-03-03T07:00:00Z"),
      });
      expect(body.gaps).toHaveLength(7);
      const full = await t.app.inject({
        method: "GET",
        url: "/api/v1/schedules/storage-primary/check?weeks=3&from=2026-03-16T08:00:00Z",
        headers: auth(read),
      });
      expect(full.json().gaps).toEqual([]);
    });

    it("rejects a malformed schedule with 400 naming the field, and writes nothing", async () => {
      const before = (
        await t.app.inject({ method: "GET", url: "/api/v1/schedules", headers: auth(read) })
      ).json();
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules",
        headers: auth(write),
        payload: {
          id: "broken",
          name: "Broken",
          layers: [
            {
              id: "a",
              name: "A",
              rotation: {
                participants: ["ana"],
                length: { unit: "weeks", count: 1 },
                handoffTime: "25:00",
                timeZone: "Mars/Olympus",
                startDate: "2026-02-30",
              },
            },
          ],
        },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe("NINES_ERR_ONCALL_SCHEDULE_INVALID");
      expect(response.json().error.details.map((d: { path: string }) => d.path)).toEqual([
        "layers[0].rotation.timeZone",
        "layers[0].rotation.handoffTime",
        "layers[0].rotation.startDate",
      ]);
      const person = await t.app.inject({
        method: "POST",
        url: "/api/v1/people",
        headers: auth(write),
        payload: { id: "x", name: "X", pager: "123" },
      });
      expect(person.statusCode).toBe(400);
      expect(person.json().error.details).toEqual([{ path: "body.pager", message: "unknown field" }]);
      const team = await t.app.inject({
        method: "PUT",
        url: "/api/v1/teams/web",
        headers: auth(write),
        payload: { id: "web", name: "Web", members: ["ana", "nobody"], scheduleIds: ["missing"] },
      });
      expect(team.statusCode).toBe(400);
      expect(team.json().error.code).toBe("NINES_ERR_ONCALL_REFERENCE_INVALID");
      expect(team.json().error.details).toEqual([
        { path: "members[1]", message: 'no person "nobody"' },
        { path: "scheduleIds[0]", message: 'no schedule "missing"' },
      ]);
      const yaml = await t.app.inject({
        method: "PUT",
        url: "/api/v1/oncall/config",
        headers: { ...auth(write), "content-type": "application/yaml" },
        payload:
          'people:\n  - id: eve\n    name: Eve\nschedules:\n  - id: eve\n    name: Eve\n    layers:\n      - id: a\n        name: A\n        rotation:\n          participants: [eve]\n          length: { unit: fortnights, count: 1 }\n          handoffTime: "09:00"\n          timeZone: Europe/Berlin\n          startDate: "2026-03-02"\n',
      });
      expect(yaml.statusCode).toBe(400);
      expect(yaml.json().error.code).toBe("NINES_ERR_ONCALL_CONFIG_INVALID");
      expect(yaml.json().error.details).toEqual([
        expect.objectContaining({
          path: "schedules[0].layers[0].rotation.length.unit",
          line: 12,
          column: 27,
        }),
      ]);
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/schedules", headers: auth(read) })).json(),
      ).toEqual(before);
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/people/eve", headers: auth(read) })).statusCode,
      ).toBe(404);
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/teams/web", headers: auth(read) })).statusCode,
      ).toBe(404);
    });

    it("documents every on-call route in the OpenAPI document", async () => {
      const response = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
      expect(response.statusCode).toBe(200);
      const paths = Object.keys(response.json().paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          "/api/v1/people/{id}",
          "/api/v1/escalation-policies",
          "/api/v1/oncall/now",
          "/api/v1/oncall/config",
          "/api/v1/schedules/{id}/take-over",
          "/api/v1/people/{id}/shifts.ics",
        ]),
      );
    });

    it("a read token cannot write", async () => {
      for (const [method, url, payload] of [
        ["POST", "/api/v1/people", { id: "mallory", name: "Mallory" }],
        ["PUT", "/api/v1/oncall/config", { people: [{ id: "mallory", name: "Mallory" }] }],
        ["POST", "/api/v1/schedules/storage-primary/take-over", { personId: "ana" }],
        ["DELETE", "/api/v1/teams/storage", undefined],
      ] as const) {
        const response = await t.app.inject({
          method,
          url,
          headers: auth(read),
          ...(payload ? { payload } : {}),
        });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
      }
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/people/mallory", headers: auth(read) }))
          .statusCode,
      ).toBe(404);
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/teams/storage", headers: auth(read) })).statusCode,
      ).toBe(200);
    });

    it("does CRUD on every kind, refusing deletes that would leave dangling references", async () => {
      const svc = await t.app.inject({
        method: "POST",
        url: "/api/v1/services",
        headers: auth(write),
        payload: { name: "blob", teamId: "storage" },
      });
      expect(svc.statusCode, svc.body).toBe(201);
      expect(svc.json()).toEqual({ id: "blob", name: "blob", teamId: "storage" });
      const dup = await t.app.inject({
        method: "POST",
        url: "/api/v1/services",
        headers: auth(write),
        payload: { name: "blob", teamId: "storage" },
      });
      expect(dup.statusCode).toBe(409);
      const policyDelete = await t.app.inject({
        method: "DELETE",
        url: "/api/v1/escalation-policies/storage",
        headers: auth(write),
      });
      expect(policyDelete.statusCode).toBe(409);
      expect(policyDelete.json().error.details).toEqual([
        expect.objectContaining({ path: 'teams["storage"].escalationPolicyId' }),
      ]);
      const policy = await t.app.inject({
        method: "PUT",
        url: "/api/v1/escalation-policies/storage",
        headers: auth(write),
        payload: {
          id: "storage",
          name: "Storage",
          steps: [{ kind: "notify-schedule", scheduleId: "storage-primary", layerId: "nights" }],
        },
      });
      expect(policy.statusCode).toBe(400);
      expect(policy.json().error.details).toEqual([
        { path: "steps[0].layerId", message: 'schedule "storage-primary" has no layer "nights"' },
      ]);
      const badStep = await t.app.inject({
        method: "PUT",
        url: "/api/v1/escalation-policies/storage",
        headers: auth(write),
        payload: { id: "storage", name: "Storage", steps: [{ kind: "wait", minutes: -1 }] },
      });
      expect(badStep.statusCode).toBe(400);
      expect(badStep.json().error.code).toBe("NINES_ERR_ONCALL_ESCALATION_INVALID");
      expect(badStep.json().error.details.map((d: { path: string }) => d.path)).toContain("steps[0].minutes");
      expect(
        (await t.app.inject({ method: "DELETE", url: "/api/v1/services/blob", headers: auth(write) }))
          .statusCode,
      ).toBe(204);
      expect(
        (await t.app.inject({ method: "DELETE", url: "/api/v1/services/blob", headers: auth(write) }))
          .statusCode,
      ).toBe(404);
      const people = (
        await t.app.inject({ method: "GET", url: "/api/v1/people", headers: auth(read) })
      ).json();
      expect(people.map((p: { id: string }) => p.id)).toEqual(["ana", "ben", "chen", "dee", "zoe"]);
    });
  });
}
