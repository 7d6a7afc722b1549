import { defineError } from "../errors/index.js";

export const MigrationFailedError = defineError(
  "NINES_ERR_DB_MIGRATION_FAILED",
  500,
  "A schema migration failed; the database is left at the last migration that succeeded.",
);
export const DatabaseUnavailableError = defineError(
  "NINES_ERR_DB_UNAVAILABLE",
  503,
  "The database cannot be reached or its schema is not current (see /api/v1/ready).",
);
