import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oncallDirectory, oncallStore } from "../../src/oncall/oncall.store.js";
import { documentErrors, type OncallSetup } from "../../src/oncall/oncall-setup.js";
import { whoIsOnCall } from "../../src/oncall/shifts.js";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../support/databases.js";
import { oncallDocument } from "./oncall-document.js";

const paths = (kind: string, i: number) => `${kind}[${i}]`;

function setupOf(input: unknown): OncallSetup {
  const { errors, setup } = documentErrors(input);
  expect(errors).toEqual([]);
  return setup as OncallSetup;
}

async function counts(database: TestDatabase) {
  const db = database.handle.db;
  const count = async (
    table:
      | "oncall_people"
      | "oncall_teams"
      | "oncall_services"
      | "oncall_schedules"
      | "oncall_overrides"
      | "oncall_escalation_policies",
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    people: await count("oncall_people"),
    teams: await count("oncall_teams"),
    services: await count("oncall_services"),
    schedules: await count("oncall_schedules"),
    overrides: await count("oncall_overrides"),
    policies: await count("oncall_escalation_policies"),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`on-call store on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const override = {
        id: "swap-1",
        personId: "zoe",
        start: Date.parse("2026-03-25T10:00:00Z"),
        end: Date.parse("2026-03-25T18:00:00Z"),
        reason: "swap",
      };
      await oncallStore(database.handle.db).apply(
        setupOf(oncallDocument({ extraOverrides: [override] })),
        paths,
        {
          actor: "test",
        },
      );
    });
    afterAll(() => database.destroy());

    it("answers every directory question from what was applied", async () => {
      const directory = oncallDirectory(database.handle.db);
      const team = await directory.teamForService("db");
      expect(team).toEqual({
        id: "storage",
        name: "Storage",
        members: ["ana", "ben", "chen", "dee", "zoe"],
        scheduleIds: ["storage-primary"],
        escalationPolicyId: "storage",
      });
      expect(await directory.teamForService("nope")).toBeUndefined();
      expect((await directory.team("Storage"))?.id).toBe("storage");
      expect((await directory.team("storage"))?.name).toBe("Storage");
      expect(await directory.team("payments")).toBeUndefined();
      expect((await directory.escalationPolicy("storage"))?.steps).toHaveLength(5);
      expect((await directory.escalationPolicy("storage"))?.repeat).toBe(1);
      expect(await directory.escalationPolicy("nope")).toBeUndefined();
      const schedules = await directory.schedules(["storage-primary", "missing"]);
      expect([...schedules.keys()]).toEqual(["storage-primary"]);
      const schedule = schedules.get("storage-primary")!;
      expect(schedule.layers.map((l) => l.id)).toEqual(["base", "day"]);
      expect(schedule.overrides).toEqual([
        {
          id: "swap-1",
          personId: "zoe",
          start: Date.parse("2026-03-25T10:00:00Z"),
          end: Date.parse("2026-03-25T18:00:00Z"),
          reason: "swap",
        },
      ]);
      expect(whoIsOnCall(schedule, Date.parse("2026-03-25T12:00:00Z")).personId).toBe("zoe");
      expect(await directory.person("ben")).toEqual({
        id: "ben",
        name: "Ben Brandt",
        contacts: [
          { kind: "email", address: "ben@example.com" },
          { kind: "sms", address: "+49 151 0000" },
        ],
      });
      expect((await directory.person("ana"))?.timeZone).toBe("Europe/Berlin");
      expect(await directory.person("nobody")).toBeUndefined();
    });

    it("re-applying the same document changes nothing", async () => {
      const store = oncallStore(database.handle.db);
      const before = await counts(database);
      const override = {
        id: "swap-1",
        personId: "zoe",
        start: Date.parse("2026-03-25T10:00:00Z"),
        end: Date.parse("2026-03-25T18:00:00Z"),
        reason: "swap",
      };
      const results = await store.apply(setupOf(oncallDocument({ extraOverrides: [override] })), paths, {
        actor: "test",
      });
      expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(["unchanged"]));
      expect(await counts(database)).toEqual(before);
    });

    it("applies all or nothing: one bad reference leaves every table as it was", async () => {
      const store = oncallStore(database.handle.db);
      const before = await counts(database);
      const doc = oncallDocument();
      doc.people.push({ id: "new-person", name: "New Person", contacts: [] });
      doc.teams.push({
        id: "payments",
        name: "Payments",
        members: ["new-person", "ghost"],
        scheduleIds: [],
        escalationPolicyId: "storage",
      });
      await expect(store.apply(setupOf(doc), paths, { actor: "test" })).rejects.toMatchObject({
        code: "NINES_ERR_ONCALL_CONFIG_INVALID",
        details: [{ path: "teams[1].members[1]", message: 'no person "ghost"' }],
      });
      expect(await counts(database)).toEqual(before);
      expect(await oncallDirectory(database.handle.db).person("new-person")).toBeUndefined();
    });

    it("refuses to delete a person a schedule still rotates through, naming the referrer", async () => {
      const store = oncallStore(database.handle.db);
      await expect(store.remove("people", "chen", "test")).rejects.toMatchObject({
        code: "NINES_ERR_ONCALL_CONFLICT",
        details: expect.arrayContaining([
          expect.objectContaining({
            path: 'schedules["storage-primary"].layers[0].rotation.participants[2]',
          }),
          expect.objectContaining({ path: 'teams["storage"].members[2]' }),
        ]),
      });
      expect(await store.get("people", "chen")).toBeDefined();
    });

    it("prunes what a document no longer names, keeping the overrides of kept schedules", async () => {
      const store = oncallStore(database.handle.db);
      const doc = oncallDocument({ extraOverrides: [] });
      doc.services = [{ name: "db", teamId: "storage" }] as typeof doc.services;
      const results = await store.apply(setupOf(doc), paths, { actor: "test", prune: true });
      expect(results.filter((r) => r.outcome === "deleted")).toEqual([
        { kind: "services", id: "db-replica", outcome: "deleted" },
      ]);
      expect((await store.list("services")).map((s) => s.id)).toEqual(["db"]);
      expect((await store.get("schedules", "storage-primary"))?.overrides.map((o) => o.id)).toEqual([
        "swap-1",
      ]);
    });

    it("keeps overrides in the order they were made, so the later one wins", async () => {
      const store = oncallStore(database.handle.db);
      const t = Date.parse("2026-04-01T10:00:00Z");
      await store.addOverride(
        "storage-primary",
        { id: "first", personId: "ana", start: t, end: t + 3_600_000 },
        "test",
      );
      await store.addOverride(
        "storage-primary",
        { id: "second", personId: "dee", start: t, end: t + 3_600_000 },
        "test",
      );
      const schedule = (await oncallDirectory(database.handle.db).schedules(["storage-primary"])).get(
        "storage-primary",
      )!;
      expect(whoIsOnCall(schedule, t + 60_000)).toMatchObject({ personId: "dee", override: true });
      await store.removeOverride("storage-primary", "second", "test");
      await expect(store.removeOverride("storage-primary", "second", "test")).rejects.toMatchObject({
        code: "NINES_ERR_ONCALL_NOT_FOUND",
      });
      const after = (await oncallDirectory(database.handle.db).schedules(["storage-primary"])).get(
        "storage-primary",
      )!;
      expect(whoIsOnCall(after, t + 60_000).personId).toBe("ana");
    });

    it("audits every write with its actor", async () => {
      const rows = await database.handle.db
        .selectFrom("audit_log")
        .select(["action", "subject", "actor"])
        .where("action", "like", "oncall.%")
        .execute();
      expect(rows).toContainEqual({ action: "oncall.people.created", subject: "ana", actor: "test" });
      expect(rows).toContainEqual({
        action: "oncall.override.create",
        subject: "storage-primary/first",
        actor: "test",
      });
    });
  });
}
