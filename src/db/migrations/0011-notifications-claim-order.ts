import type { Kysely, Migration } from "kysely";

/**
 * The due index gains `id`, the tie-breaker of the delivery worker's claim order: a claim then
 * starts right after the last row the worker took (`(next_attempt_at, id) > cursor`) instead of
 * walking past the rows still in flight and the index entries of rows already delivered.
 */
export const notificationsClaimOrderMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex("notifications_due").execute();
    await db.schema
      .createIndex("notifications_due")
      .on("notifications")
      .columns(["status", "next_attempt_at", "id"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("notifications_due").execute();
    await db.schema
      .createIndex("notifications_due")
      .on("notifications")
      .columns(["status", "next_attempt_at"])
      .execute();
  },
};
