import type { Migration } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { authMigration } from "./0001-auth.js";
import { auditLogMigration } from "./0002-audit-log.js";
import { sloMigration } from "./0003-slo.js";
import { externalAlertsMigration } from "./0004-external-alerts.js";
import { signalsMigration } from "./0005-signals.js";
import { ticketsSilencesMigration } from "./0006-tickets-silences.js";
import { notificationsMigration } from "./0007-notifications.js";
import { oncallMigration } from "./0008-oncall.js";
import { incidentsMigration } from "./0009-incidents.js";
import { sampleBatchesMigration } from "./0010-sample-batches.js";
import { notificationsClaimOrderMigration } from "./0011-notifications-claim-order.js";

/**
 * The one migration set, run in name order on SQLite and PostgreSQL alike. Names never change
 * once released; a new schema change is a new entry.
 */
export function migrationsFor(dialect: DialectName): Record<string, Migration> {
  return {
    "0001-auth": authMigration,
    "0002-audit-log": auditLogMigration(dialect),
    "0003-slo": sloMigration(dialect),
    "0004-external-alerts": externalAlertsMigration(dialect),
    "0005-signals": signalsMigration(dialect),
    "0006-tickets-silences": ticketsSilencesMigration(dialect),
    "0007-notifications": notificationsMigration(dialect),
    "0008-oncall": oncallMigration(dialect),
    "0009-incidents": incidentsMigration(dialect),
    "0010-sample-batches": sampleBatchesMigration(dialect),
    "0011-notifications-claim-order": notificationsClaimOrderMigration,
  };
}
