import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Config } from "../config/config-schema.js";
import type { Database } from "../db/database.js";
import { createIncidentsDomain, type IncidentsDomain } from "../incidents/incidents-domain.js";
import { pagesSignalSource } from "../incidents/pages-signal-source.js";
import { createIncidentSignalLinks, type IncidentSignalLinks } from "../incidents/signal-links.js";
import { deliveryFailureTickets } from "../notifications/failure-tickets.js";
import {
  createNotificationsDomain,
  type NotificationsDomain,
} from "../notifications/notifications-domain.js";
import { oncallDirectory } from "../oncall/oncall.store.js";
import { createOncallDomain, type OncallDomain } from "../oncall/oncall-domain.js";
import {
  type AlertmanagerSender,
  alertmanagerSender,
} from "../prometheus/alertmanager/alertmanager-sender.js";
import type { ResilienceEvents } from "../resilience/index.js";
import { eventLogSinkOver, ticketSinkOver } from "../signals/pipeline-adapters.js";
import { createSignalsDomain, type SignalsDomain } from "../signals/signals-domain.js";
import { createTicketsDomain, type TicketsDomain } from "../signals/tickets.domain.js";
import { createSloDomain, type SloDomain } from "../slo/slo-domain.js";
import type { BackgroundTask } from "./background.js";

/**
 * The composition root: every domain of one replica, wired to the others. The HTTP app takes its
 * routes' dependencies from here; `nines serve` also runs the background tasks.
 */
export interface Domains {
  readonly slo: SloDomain;
  readonly incidents: IncidentsDomain;
  readonly signals: SignalsDomain;
  readonly notifications: NotificationsDomain;
  /** Tickets, the event log, silences and maintenance windows. */
  readonly tickets: TicketsDomain;
  /** People, teams, services, schedules and escalation policies. */
  readonly oncall: OncallDomain;
  /** Incidents declared for pages by routing rules; overdue postmortems as tickets. */
  readonly incidentLinks: IncidentSignalLinks;
  /** Runs on every replica. */
  readonly followerTasks: readonly BackgroundTask[];
  /** Runs on the leader only. */
  readonly leaderTasks: readonly BackgroundTask[];
}

export interface DomainsOptions {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly logger: FastifyBaseLogger;
  readonly resilienceEvents: ResilienceEvents;
}

export async function createDomains(options: DomainsOptions): Promise<Domains> {
  const { config, db, logger } = options;
  const directory = oncallDirectory(db);
  const tickets = createTicketsDomain(db, logger, config.signals);
  // Receivers and the delivery worker of the notification outbox (the worker runs on the leader);
  // a delivery that fails for good becomes a ticket for the team.
  const notifications = createNotificationsDomain({
    config,
    db,
    logger,
    events: options.resilienceEvents,
    directory,
    onDeliveryFailed: deliveryFailureTickets(tickets.tickets),
  });
  let sender: AlertmanagerSender | undefined;
  let signals: SignalsDomain | undefined;
  let incidentLinks: IncidentSignalLinks | undefined;
  const slo = await createSloDomain(db, logger, {
    ...config.slo,
    resilienceEvents: options.resilienceEvents,
    afterTick: (events) => Promise.all([sender?.sync(events), signals?.ingestSloEvents(events)]),
  });
  signals = await createSignalsDomain(db, logger, {
    outbox: notifications.outbox,
    tickets: ticketSinkOver(tickets.tickets),
    eventLog: eventLogSinkOver(tickets.eventLog),
    silences: tickets.silences,
    maintenance: tickets.maintenance,
    directory,
    publicUrl: config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`,
    linkSecret: config.signals.linkSecret,
    linkTtlMs: config.signals.linkTtlHours * 3_600_000,
    ticketDueMs: config.signals.ticketDueDays * 86_400_000,
    groupingIntervalMs: config.signals.groupingIntervalMs,
    escalationIntervalMs: config.signals.escalationIntervalMs,
    reconcileIntervalMs: config.signals.reconcileIntervalMs,
    // Pages opened on routes with `declareIncident` declare their incident right after the commit.
    onIncidentRequested: async (pageIds) => incidentLinks?.pageIncidents.declareRequested(pageIds),
    onNotificationsQueued: () => notifications.worker.wake(),
  });
  if (config.alertmanager.url) {
    sender = alertmanagerSender({
      url: config.alertmanager.url,
      runtime: slo.runtime,
      log: logger,
      tickMs: config.slo.tickSeconds * 1000,
      events: options.resilienceEvents,
    });
    logger.info({ url: config.alertmanager.url }, "SLO alerts will be pushed to Alertmanager");
  }
  // Incidents read pages and signals (timeline, "found without paging", declare from a page).
  const incidents = createIncidentsDomain(db, logger, {
    config: config.incidents,
    sloRuntime: slo.runtime,
    signals: pagesSignalSource(signals.store),
  });
  incidentLinks = createIncidentSignalLinks({
    db,
    log: logger,
    signals: signals.store,
    tickets: tickets.tickets,
    directory,
    incidents,
    requestSweepMs: config.signals.reconcileIntervalMs,
    overdueTicketsMs: config.incidents.detectorIntervalSeconds * 1000,
  });
  return {
    slo,
    incidents,
    signals,
    notifications,
    tickets,
    oncall: createOncallDomain(db),
    incidentLinks,
    followerTasks: [slo.follower],
    leaderTasks: [
      ...slo.leaderTasks,
      ...signals.leaderTasks,
      ...tickets.leaderTasks,
      notifications.worker.task(),
      ...incidents.leaderTasks,
      ...incidentLinks.leaderTasks,
    ],
  };
}
