import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

/** Tickets with their signals and comments, the event log, silences and maintenance windows. */
export const ticketsSilencesMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await addSerialId(db.schema.createTable("tickets"), dialect)
      .addColumn("team", "varchar(200)")
      .addColumn("service", "varchar(200)", (c) => c.notNull())
      .addColumn("title", "varchar(500)", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("priority", "varchar(4)", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("assignee", "varchar(200)")
      .addColumn("due_at", "bigint", (c) => c.notNull())
      .addColumn("fingerprint", "varchar(200)")
      .addColumn("open_fingerprint", "varchar(200)", (c) => c.unique())
      .addColumn("rule", "varchar(500)")
      .addColumn("created_by", "varchar(200)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("closed_at", "bigint")
      .execute();
    await db.schema
      .createIndex("tickets_queue")
      .on("tickets")
      .columns(["team", "status", "due_at"])
      .execute();
    await db.schema.createIndex("tickets_due").on("tickets").columns(["status", "due_at"]).execute();

    await addSerialId(db.schema.createTable("ticket_signals"), dialect)
      .addColumn("ticket_id", "bigint", (c) => c.notNull().references("tickets.id").onDelete("cascade"))
      .addColumn("signal_id", "varchar(200)")
      .addColumn("fingerprint", "varchar(200)", (c) => c.notNull())
      .addColumn("linked_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("ticket_signals_ticket")
      .on("ticket_signals")
      .columns(["ticket_id", "id"])
      .execute();

    await addSerialId(db.schema.createTable("ticket_comments"), dialect)
      .addColumn("ticket_id", "bigint", (c) => c.notNull().references("tickets.id").onDelete("cascade"))
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("author", "varchar(200)", (c) => c.notNull())
      .addColumn("kind", "varchar(16)", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("ticket_comments_ticket")
      .on("ticket_comments")
      .columns(["ticket_id", "id"])
      .execute();

    await addSerialId(db.schema.createTable("event_log"), dialect)
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("source", "varchar(64)", (c) => c.notNull())
      .addColumn("service", "varchar(200)", (c) => c.notNull())
      .addColumn("title", "varchar(500)", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("labels", "text", (c) => c.notNull())
      .addColumn("fingerprint", "varchar(200)")
      .addColumn("rule", "varchar(500)")
      .execute();
    await db.schema.createIndex("event_log_at").on("event_log").columns(["at", "id"]).execute();
    await db.schema
      .createIndex("event_log_service_at")
      .on("event_log")
      .columns(["service", "at", "id"])
      .execute();

    await db.schema
      .createTable("silences")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("matchers", "text", (c) => c.notNull())
      .addColumn("starts_at", "bigint", (c) => c.notNull())
      .addColumn("ends_at", "bigint", (c) => c.notNull())
      .addColumn("created_by", "varchar(200)", (c) => c.notNull())
      .addColumn("comment", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("silences_ends_at")
      .on("silences")
      .columns(["ends_at", "starts_at"])
      .execute();

    await db.schema
      .createTable("maintenance_windows")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("service", "varchar(200)", (c) => c.notNull())
      .addColumn("time_zone", "varchar(64)", (c) => c.notNull())
      .addColumn("start_local", "varchar(16)", (c) => c.notNull())
      .addColumn("end_local", "varchar(16)", (c) => c.notNull())
      .addColumn("start_at", "bigint", (c) => c.notNull())
      .addColumn("end_at", "bigint", (c) => c.notNull())
      .addColumn("recurrence", "varchar(16)", (c) => c.notNull())
      .addColumn("outcomes", "text", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("created_by", "varchar(200)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("maintenance_windows_service")
      .on("maintenance_windows")
      .columns(["service", "start_at"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      "maintenance_windows",
      "silences",
      "event_log",
      "ticket_comments",
      "ticket_signals",
      "tickets",
    ])
      await db.schema.dropTable(table).execute();
  },
});
