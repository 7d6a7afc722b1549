import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

/** Receivers, the notification outbox and its attempt log. */
export const notificationsMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("notification_receivers")
      .addColumn("name", "varchar(100)", (c) => c.primaryKey())
      .addColumn("type", "varchar(32)", (c) => c.notNull())
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("updated_by", "varchar(200)", (c) => c.notNull())
      .execute();
    await addSerialId(db.schema.createTable("notifications"), dialect)
      .addColumn("dedup_key", "varchar(300)", (c) => c.notNull())
      .addColumn("target_type", "varchar(16)", (c) => c.notNull())
      .addColumn("target_ref", "varchar(200)", (c) => c.notNull())
      .addColumn("subject_kind", "varchar(16)", (c) => c.notNull())
      .addColumn("subject_id", "varchar(200)", (c) => c.notNull())
      .addColumn("event", "varchar(32)", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
      .addColumn("delivered_at", "bigint")
      .addColumn("failed_at", "bigint")
      .addColumn("last_error", "text")
      .addColumn("progress", "text")
      .execute();
    await db.schema
      .createIndex("notifications_due")
      .on("notifications")
      .columns(["status", "next_attempt_at"])
      .execute();
    await db.schema
      .createIndex("notifications_subject")
      .on("notifications")
      .columns(["subject_kind", "subject_id", "id"])
      .execute();
    await addSerialId(db.schema.createTable("notification_attempts"), dialect)
      .addColumn("notification_id", "bigint", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("receiver", "varchar(300)", (c) => c.notNull())
      .addColumn("outcome", "varchar(16)", (c) => c.notNull())
      .addColumn("status_code", "integer")
      .addColumn("error", "text")
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("notification_attempts_notification")
      .on("notification_attempts")
      .columns(["notification_id", "id"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("notification_attempts").execute();
    await db.schema.dropTable("notifications").execute();
    await db.schema.dropTable("notification_receivers").execute();
  },
});
