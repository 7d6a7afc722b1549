export {
  createDatabase,
  type DatabaseHandle,
  type DatabaseOptions,
  isPostgresUrl,
  redactUrl,
} from "./create-database.js";
export type { Database } from "./database.js";
export type { DialectName } from "./dialect-name.js";
export { MigrationFailedError } from "./errors.js";
export { advisoryLockLeader, type LeaderElector, singleProcessLeader } from "./leader.js";
export { migrateToLatest, pendingMigrations } from "./migrate.js";
