import type { AuthTables } from "../auth/auth.tables.js";
import type { ExternalAlertTables } from "../prometheus/alertmanager/external-alerts.tables.js";
import type { SloTables } from "../slo/slo.tables.js";

/** Every table nines stores, composed from the domains' own table types. */
export interface Database extends AuthTables, SloTables, ExternalAlertTables {}
