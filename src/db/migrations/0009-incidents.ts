import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

/** Incidents, their timelines and burn episodes, postmortems with reviews, and action items. */
export const incidentsMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await addSerialId(db.schema.createTable("incidents"), dialect)
      .addColumn("title", "varchar(300)", (c) => c.notNull())
      .addColumn("severity", "varchar(8)", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("source", "varchar(16)", (c) => c.notNull())
      .addColumn("declared_by", "varchar(200)", (c) => c.notNull())
      .addColumn("declared_at", "bigint", (c) => c.notNull())
      .addColumn("detected_at", "bigint", (c) => c.notNull())
      .addColumn("detection_ref", "varchar(400)")
      .addColumn("impact_started_at", "bigint")
      .addColumn("mitigated_at", "bigint")
      .addColumn("resolved_at", "bigint")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("services", "text", (c) => c.notNull())
      .addColumn("slos", "text", (c) => c.notNull())
      .addColumn("customer_impact", "text", (c) => c.notNull())
      .addColumn("roles", "text", (c) => c.notNull())
      .addColumn("status_history", "text", (c) => c.notNull())
      .addColumn("interventions", "text", (c) => c.notNull())
      .addColumn("budget_consumed", "text", (c) => c.notNull())
      .addColumn("cause_tags", "text", (c) => c.notNull())
      .addColumn("page_ids", "text", (c) => c.notNull())
      .addColumn("related_postmortems", "text", (c) => c.notNull())
      .addColumn("postmortem_required", "integer")
      .addColumn("postmortem_triggers", "text", (c) => c.notNull())
      .addColumn("postmortem_due_at", "bigint")
      .addColumn("version", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("incidents_status").on("incidents").columns(["status", "id"]).execute();
    await db.schema
      .createTable("incident_services")
      .addColumn("incident_id", "bigint", (c) => c.notNull())
      .addColumn("service", "varchar(200)", (c) => c.notNull())
      .addPrimaryKeyConstraint("incident_services_pk", ["incident_id", "service"])
      .execute();
    await db.schema
      .createIndex("incident_services_service")
      .on("incident_services")
      .columns(["service", "incident_id"])
      .execute();
    await addSerialId(db.schema.createTable("incident_timeline"), dialect)
      .addColumn("incident_id", "bigint", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("kind", "varchar(32)", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("author", "varchar(200)")
      .addColumn("ref", "varchar(400)")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("incident_timeline_incident")
      .on("incident_timeline")
      .columns(["incident_id", "at"])
      .execute();
    await db.schema
      .createTable("incident_burn_episodes")
      .addColumn("slo_id", "varchar(400)", (c) => c.primaryKey())
      .addColumn("incident_id", "bigint", (c) => c.notNull())
      .addColumn("started_at", "bigint", (c) => c.notNull())
      .addColumn("ended_at", "bigint")
      .addColumn("consumed", "double precision", (c) => c.notNull())
      .execute();
    await addSerialId(db.schema.createTable("postmortems"), dialect)
      .addColumn("incident_id", "bigint", (c) => c.notNull().unique())
      .addColumn("title", "varchar(300)", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("authors", "text", (c) => c.notNull())
      .addColumn("services", "text", (c) => c.notNull())
      .addColumn("cause_tags", "text", (c) => c.notNull())
      .addColumn("content", "text", (c) => c.notNull())
      .addColumn("required_by", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("published_at", "bigint")
      .addColumn("version", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("postmortems_status").on("postmortems").columns(["status", "id"]).execute();
    await db.schema
      .createTable("postmortem_reviewers")
      .addColumn("postmortem_id", "bigint", (c) => c.notNull())
      .addColumn("name", "varchar(200)", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("decision", "varchar(32)", (c) => c.notNull())
      .addColumn("decided_at", "bigint")
      .addPrimaryKeyConstraint("postmortem_reviewers_pk", ["postmortem_id", "name"])
      .execute();
    await db.schema
      .createTable("postmortem_comments")
      .addColumn("postmortem_id", "bigint", (c) => c.notNull())
      .addColumn("cid", "varchar(32)", (c) => c.notNull())
      .addColumn("author", "varchar(200)", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("kind", "varchar(32)", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("section", "varchar(100)")
      .addColumn("quote", "text")
      .addColumn("start_pos", "integer")
      .addColumn("end_pos", "integer")
      .addPrimaryKeyConstraint("postmortem_comments_pk", ["postmortem_id", "cid"])
      .execute();
    await addSerialId(db.schema.createTable("action_items"), dialect)
      .addColumn("postmortem_id", "bigint", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("description", "varchar(2000)", (c) => c.notNull())
      .addColumn("type", "varchar(16)", (c) => c.notNull())
      .addColumn("owner", "varchar(200)", (c) => c.notNull())
      .addColumn("priority", "varchar(4)", (c) => c.notNull())
      .addColumn("due_at", "bigint", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("issue_url", "varchar(2000)")
      .addColumn("service", "varchar(200)")
      .addColumn("team", "varchar(200)")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("action_items_postmortem")
      .on("action_items")
      .columns(["postmortem_id", "position"])
      .execute();
    await db.schema
      .createIndex("action_items_status")
      .on("action_items")
      .columns(["status", "due_at"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      "action_items",
      "postmortem_comments",
      "postmortem_reviewers",
      "postmortems",
      "incident_burn_episodes",
      "incident_timeline",
      "incident_services",
      "incidents",
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
});
