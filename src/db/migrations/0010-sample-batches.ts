import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";

/**
 * The sample log becomes one row per accepted batch (`sli_sample_batches`), compacted into
 * per-SLO chunks (`sli_sample_chunks`) for rebuilds. Rows of the old per-sample table
 * (`sli_samples`) stay where they are and are still read as the oldest part of every history.
 */
export const sampleBatchesMigration = (dialect: DialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    const blob = dialect === "postgres" ? "bytea" : "blob";
    await (dialect === "postgres"
      ? db.schema.createTable("sli_sample_batches").addColumn("seq", "bigserial", (c) => c.primaryKey())
      : db.schema
          .createTable("sli_sample_batches")
          .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    )
      .addColumn("received_at", "bigint", (c) => c.notNull())
      .addColumn("min_ts", "bigint", (c) => c.notNull())
      .addColumn("max_ts", "bigint", (c) => c.notNull())
      .addColumn("samples", "integer", (c) => c.notNull())
      .addColumn("payload", blob, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("sli_sample_chunks")
      .addColumn("slo_id", "varchar(400)", (c) => c.notNull())
      .addColumn("from_seq", "bigint", (c) => c.notNull())
      .addColumn("to_seq", "bigint", (c) => c.notNull())
      .addColumn("min_ts", "bigint", (c) => c.notNull())
      .addColumn("max_ts", "bigint", (c) => c.notNull())
      .addColumn("samples", "integer", (c) => c.notNull())
      .addColumn("payload", blob, (c) => c.notNull())
      .addPrimaryKeyConstraint("sli_sample_chunks_pk", ["slo_id", "to_seq"])
      .execute();
    await db.schema
      .createIndex("sli_sample_chunks_slo_max_ts")
      .on("sli_sample_chunks")
      .columns(["slo_id", "max_ts"])
      .execute();
    await db.schema
      .createTable("sli_log_state")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("compacted_seq", "bigint", (c) => c.notNull())
      .execute();
    await db
      .insertInto("sli_log_state" as never)
      .values({ id: 1, compacted_seq: 0 } as never)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ["sli_log_state", "sli_sample_chunks", "sli_sample_batches"]) {
      await db.schema.dropTable(table).execute();
    }
  },
});
