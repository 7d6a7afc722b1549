import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

/** People, teams, services, schedules (with their overrides as rows) and escalation policies. */
export const oncallMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("oncall_people")
      .addColumn("id", "varchar(100)", (c) => c.primaryKey())
      .addColumn("name", "varchar(200)", (c) => c.notNull())
      .addColumn("contacts", "text", (c) => c.notNull())
      .addColumn("time_zone", "varchar(64)")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("oncall_teams")
      .addColumn("id", "varchar(100)", (c) => c.primaryKey())
      .addColumn("name", "varchar(200)", (c) => c.notNull())
      .addColumn("members", "text", (c) => c.notNull())
      .addColumn("schedule_ids", "text", (c) => c.notNull())
      .addColumn("escalation_policy_id", "varchar(100)")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("oncall_teams_name").on("oncall_teams").column("name").execute();
    await db.schema
      .createTable("oncall_services")
      .addColumn("id", "varchar(100)", (c) => c.primaryKey())
      .addColumn("name", "varchar(200)", (c) => c.notNull().unique())
      .addColumn("team_id", "varchar(100)", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("oncall_schedules")
      .addColumn("id", "varchar(100)", (c) => c.primaryKey())
      .addColumn("name", "varchar(200)", (c) => c.notNull())
      .addColumn("document", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await addSerialId(db.schema.createTable("oncall_overrides"), dialect)
      .addColumn("schedule_id", "varchar(100)", (c) =>
        c.notNull().references("oncall_schedules.id").onDelete("cascade"),
      )
      .addColumn("override_id", "varchar(200)", (c) => c.notNull())
      .addColumn("person_id", "varchar(100)", (c) => c.notNull())
      .addColumn("start_ms", "bigint", (c) => c.notNull())
      .addColumn("end_ms", "bigint", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("created_by", "varchar(200)", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("oncall_overrides_schedule")
      .on("oncall_overrides")
      .columns(["schedule_id", "override_id"])
      .unique()
      .execute();
    await db.schema
      .createTable("oncall_escalation_policies")
      .addColumn("id", "varchar(100)", (c) => c.primaryKey())
      .addColumn("name", "varchar(200)", (c) => c.notNull())
      .addColumn("document", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      "oncall_escalation_policies",
      "oncall_overrides",
      "oncall_schedules",
      "oncall_services",
      "oncall_teams",
      "oncall_people",
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
});
