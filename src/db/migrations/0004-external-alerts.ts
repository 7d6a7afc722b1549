import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

export const externalAlertsMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await addSerialId(db.schema.createTable("external_alert_events"), dialect)
      .addColumn("source", "varchar(32)", (c) => c.notNull())
      .addColumn("fingerprint", "varchar(200)", (c) => c.notNull())
      .addColumn("state", "varchar(16)", (c) => c.notNull())
      .addColumn("labels", "text", (c) => c.notNull())
      .addColumn("annotations", "text", (c) => c.notNull())
      .addColumn("starts_at", "varchar(40)", (c) => c.notNull())
      .addColumn("ends_at", "varchar(40)")
      .addColumn("receiver", "varchar(200)", (c) => c.notNull())
      .addColumn("group_key", "text", (c) => c.notNull())
      .addColumn("received_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("external_alert_events_fingerprint")
      .on("external_alert_events")
      .columns(["fingerprint", "id"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("external_alert_events").execute();
  },
});
