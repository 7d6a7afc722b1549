import type { CreateTableBuilder, Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

/** The columns a signal, its received events and its pages share. */
function signalColumns<T extends string, C extends string>(table: CreateTableBuilder<T, C>) {
  return table
    .addColumn("source", "varchar(100)", (c) => c.notNull())
    .addColumn("service", "varchar(200)", (c) => c.notNull())
    .addColumn("team", "varchar(200)")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("severity", "varchar(100)", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("links", "text", (c) => c.notNull());
}

export const signalsMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("signal_routing_configs")
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("config_json", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("created_by", "varchar(200)", (c) => c.notNull())
      .execute();
    await signalColumns(
      db.schema.createTable("signals").addColumn("fingerprint", "varchar(200)", (c) => c.primaryKey()),
    )
      .addColumn("starts_at", "bigint", (c) => c.notNull())
      .addColumn("ends_at", "bigint")
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("outcome", "varchar(16)", (c) => c.notNull())
      .addColumn("rule_path", "text", (c) => c.notNull())
      .addColumn("rule_name", "text", (c) => c.notNull())
      .addColumn("group_key", "text")
      .addColumn("muted_reason", "varchar(16)")
      .addColumn("muted_by", "text")
      .addColumn("first_seen_at", "bigint", (c) => c.notNull())
      .addColumn("last_seen_at", "bigint", (c) => c.notNull())
      .addColumn("received", "integer", (c) => c.notNull())
      .addColumn("resolved_at", "bigint")
      .addColumn("page_id", "bigint")
      .addColumn("ticket_id", "varchar(200)")
      .execute();
    await db.schema
      .createIndex("signals_status_seen")
      .on("signals")
      .columns(["status", "last_seen_at"])
      .execute();
    await signalColumns(
      addSerialId(db.schema.createTable("signal_events"), dialect)
        .addColumn("fingerprint", "varchar(200)", (c) => c.notNull())
        .addColumn("received_at", "bigint", (c) => c.notNull()),
    )
      .addColumn("starts_at", "bigint", (c) => c.notNull())
      .addColumn("ends_at", "bigint")
      .addColumn("outcome", "varchar(16)", (c) => c.notNull())
      .addColumn("rule_path", "text", (c) => c.notNull())
      .addColumn("rule_name", "text", (c) => c.notNull())
      .addColumn("group_key", "text")
      .addColumn("muted_reason", "varchar(16)")
      .addColumn("muted_by", "text")
      .execute();
    await db.schema
      .createIndex("signal_events_fingerprint")
      .on("signal_events")
      .columns(["fingerprint", "id"])
      .execute();
    await signalColumns(
      addSerialId(db.schema.createTable("pages"), dialect).addColumn("fingerprint", "varchar(200)", (c) =>
        c.notNull(),
      ),
    )
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("acked_at", "bigint")
      .addColumn("acked_by", "varchar(200)")
      .addColumn("resolved_at", "bigint")
      .addColumn("resolved_by", "varchar(200)")
      .addColumn("escalation_policy_id", "varchar(200)")
      .addColumn("route_path", "text", (c) => c.notNull())
      .addColumn("route_name", "text", (c) => c.notNull())
      .addColumn("receiver", "varchar(200)")
      .addColumn("escalation_next_at", "bigint")
      .addColumn("actionable", "integer")
      .addColumn("actionable_reason", "text")
      .addColumn("reviewed_by", "varchar(200)")
      .execute();
    await db.schema.createIndex("pages_status").on("pages").columns(["status", "id"]).execute();
    // Pages by time: page load per on-call shift, incident timelines, "found without paging".
    await db.schema.createIndex("pages_created").on("pages").columns(["created_at"]).execute();
    await db.schema
      .createIndex("pages_escalation_next")
      .on("pages")
      .columns(["escalation_next_at"])
      .execute();
    await db.schema
      .createTable("page_escalation_sent")
      .addColumn("page_id", "bigint", (c) => c.notNull())
      .addColumn("key", "varchar(40)", (c) => c.notNull())
      .addColumn("person_id", "varchar(200)")
      .addColumn("sent_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("page_escalation_sent_pk", ["page_id", "key"])
      .execute();
    await db.schema
      .createTable("signal_groups")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("state_json", "text", (c) => c.notNull())
      .addColumn("next_flush_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("signal_settings")
      .addColumn("name", "varchar(100)", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      "signal_settings",
      "signal_groups",
      "page_escalation_sent",
      "pages",
      "signal_events",
      "signals",
      "signal_routing_configs",
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
});
