import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

export const sloMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("slo_specs")
      .addColumn("id", "varchar(400)", (c) => c.primaryKey())
      .addColumn("service", "varchar(200)", (c) => c.notNull())
      .addColumn("name", "varchar(200)", (c) => c.notNull())
      .addColumn("team", "varchar(200)", (c) => c.notNull())
      .addColumn("format", "varchar(16)", (c) => c.notNull())
      .addColumn("spec_json", "text", (c) => c.notNull())
      .addColumn("yaml", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("deleted_at", "bigint")
      .execute();
    await db.schema
      .createTable("slo_spec_versions")
      .addColumn("slo_id", "varchar(400)", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("spec_json", "text", (c) => c.notNull())
      .addColumn("yaml", "text", (c) => c.notNull())
      .addColumn("applied_at", "bigint", (c) => c.notNull())
      .addColumn("applied_by", "varchar(200)", (c) => c.notNull())
      .addColumn("change", "varchar(16)", (c) => c.notNull())
      .addPrimaryKeyConstraint("slo_spec_versions_pk", ["slo_id", "version"])
      .execute();
    await (dialect === "postgres"
      ? db.schema.createTable("sli_samples").addColumn("seq", "bigserial", (c) => c.primaryKey())
      : db.schema
          .createTable("sli_samples")
          .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    )
      .addColumn("slo_id", "varchar(400)", (c) => c.notNull())
      .addColumn("ts", "bigint", (c) => c.notNull())
      .addColumn("good", "double precision", (c) => c.notNull())
      .addColumn("total", "double precision", (c) => c.notNull())
      .addColumn("received_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("sli_counter_readings")
      .addColumn("slo_id", "varchar(400)", (c) => c.primaryKey())
      .addColumn("ts", "bigint", (c) => c.notNull())
      .addColumn("good", "double precision", (c) => c.notNull())
      .addColumn("total", "double precision", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("sli_samples_series_ts")
      .on("sli_samples")
      .columns(["slo_id", "ts"])
      .execute();
    await addSerialId(db.schema.createTable("slo_alert_events"), dialect)
      .addColumn("slo_id", "varchar(400)", (c) => c.notNull())
      .addColumn("service", "varchar(200)", (c) => c.notNull())
      .addColumn("line", "varchar(100)", (c) => c.notNull())
      .addColumn("severity", "varchar(16)", (c) => c.notNull())
      .addColumn("state", "varchar(16)", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("burn_long", "double precision", (c) => c.notNull())
      .addColumn("burn_short", "double precision", (c) => c.notNull())
      .addColumn("budget_remaining", "double precision", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("slo_alert_events_slo_at")
      .on("slo_alert_events")
      .columns(["slo_id", "at"])
      .execute();
    await addSerialId(db.schema.createTable("slo_annotations"), dialect)
      .addColumn("slo_id", "varchar(400)", (c) => c.notNull())
      .addColumn("kind", "varchar(32)", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("end_at", "bigint")
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("author", "varchar(200)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("slo_annotations_slo_at")
      .on("slo_annotations")
      .columns(["slo_id", "at"])
      .execute();
    await addSerialId(db.schema.createTable("slo_budget_adjustments"), dialect)
      .addColumn("slo_id", "varchar(400)", (c) => c.notNull())
      .addColumn("from_ms", "bigint", (c) => c.notNull())
      .addColumn("to_ms", "bigint", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("author", "varchar(200)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("revoked_at", "bigint")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      "slo_budget_adjustments",
      "slo_annotations",
      "slo_alert_events",
      "sli_counter_readings",
      "sli_samples",
      "slo_spec_versions",
      "slo_specs",
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
});
