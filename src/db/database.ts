import type { AuthTables } from "../auth/auth.tables.js";
import type { IncidentTables } from "../incidents/incidents.tables.js";
import type { NotificationTables } from "../notifications/notifications.tables.js";
import type { OncallTables } from "../oncall/oncall.tables.js";
import type { ExternalAlertTables } from "../prometheus/alertmanager/external-alerts.tables.js";
import type { EventLogTables } from "../signals/event-log.tables.js";
import type { MaintenanceTables } from "../signals/maintenance.tables.js";
import type { SignalsTables } from "../signals/signals.tables.js";
import type { SilenceTables } from "../signals/silences.tables.js";
import type { TicketTables } from "../signals/tickets.tables.js";
import type { SloTables } from "../slo/slo.tables.js";

/** Every table nines stores, composed from the domains' own table types. */
export interface Database
  extends AuthTables,
    SloTables,
    OncallTables,
    ExternalAlertTables,
    SignalsTables,
    TicketTables,
    EventLogTables,
    SilenceTables,
    MaintenanceTables,
    NotificationTables,
    IncidentTables {}
