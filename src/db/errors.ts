import { defineError } from "../errors/index.js";

export const MigrationFailedError = defineError(
  "NINES_ERR_DB_MIGRATION_FAILED",
  500,
  "A schema migration failed; the database is left at the last migration that succeeded.",
);
