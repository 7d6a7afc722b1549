import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { addSerialId } from "./column-types.js";

export const auditLogMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await addSerialId(db.schema.createTable("audit_log"), dialect)
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("actor", "varchar(200)", (c) => c.notNull())
      .addColumn("action", "varchar(100)", (c) => c.notNull())
      .addColumn("subject", "varchar(400)", (c) => c.notNull())
      .addColumn("details", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("audit_log").execute();
  },
});
