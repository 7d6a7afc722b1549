import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { BackgroundTask } from "../server/background.js";
import { intervalTask } from "../server/interval-task.js";
import { eventLogRoutes } from "./event-log.routes.js";
import { type EventLogStore, eventLogStore } from "./event-log.store.js";
import { maintenanceRoutes } from "./maintenance.routes.js";
import { type MaintenanceStore, maintenanceStore } from "./maintenance.store.js";
import { silenceRoutes } from "./silences.routes.js";
import { type SilenceStore, silenceStore } from "./silences.store.js";
import { ticketRoutes } from "./tickets.routes.js";
import { type TicketStore, ticketStore } from "./tickets.store.js";

const DAY_MS = 86_400_000;

/** Tickets, the event log, silences and maintenance windows: where signals that are not pages go, and what holds them back. */
export interface TicketsDomain {
  readonly tickets: TicketStore;
  readonly eventLog: EventLogStore;
  readonly silences: SilenceStore;
  readonly maintenance: MaintenanceStore;
  /** Leader only: drop event log entries past the retention, hourly. */
  readonly leaderTasks: readonly BackgroundTask[];
}

export interface TicketsDomainOptions {
  readonly ticketDueDays: number;
  readonly logRetentionDays: number;
}

export function createTicketsDomain(
  db: Kysely<Database>,
  log: FastifyBaseLogger,
  options: TicketsDomainOptions,
): TicketsDomain {
  const eventLog = eventLogStore(db);
  return {
    tickets: ticketStore(db, { dueDays: options.ticketDueDays }),
    eventLog,
    silences: silenceStore(db),
    maintenance: maintenanceStore(db),
    leaderTasks: [
      intervalTask(
        "event-log-retention",
        3_600_000,
        async () => {
          const deleted = await eventLog.deleteBefore(Date.now() - options.logRetentionDays * DAY_MS);
          if (deleted > 0) log.info({ deleted }, "event log entries past the retention deleted");
        },
        log,
      ),
    ],
  };
}

/** The API of tickets, logs, silences and maintenance windows. */
export const ticketsDomainRoutes: FastifyPluginAsyncTypebox<{ readonly domain: TicketsDomain }> = async (
  app,
  { domain },
) => {
  await app.register(ticketRoutes, { store: domain.tickets });
  await app.register(eventLogRoutes, { store: domain.eventLog });
  await app.register(silenceRoutes, { store: domain.silences });
  await app.register(maintenanceRoutes, { store: domain.maintenance });
};
