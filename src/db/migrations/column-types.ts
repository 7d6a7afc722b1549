import type { ColumnDefinitionBuilder, CreateTableBuilder } from "kysely";
import type { DialectName } from "../dialect-name.js";

/** Adds an auto-increment integer primary key named `id`, the one column type that differs by engine. */
export function addSerialId<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: DialectName,
): CreateTableBuilder<T, "id"> {
  return dialect === "postgres"
    ? table.addColumn("id", "bigserial", (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn("id", "integer", (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
