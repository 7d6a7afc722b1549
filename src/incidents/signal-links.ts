import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { OncallDirectory } from "../oncall/directory.js";
import type { BackgroundTask } from "../server/background.js";
import { intervalTask } from "../server/interval-task.js";
import type { SignalsStore } from "../signals/signals.store.js";
import type { TicketStore } from "../signals/tickets.store.js";
import type { IncidentsDomain } from "./incidents-domain.js";
import { type PageIncidents, pageIncidents } from "./page-incidents.js";
import { type PostmortemTickets, postmortemTickets } from "./postmortem-tickets.js";

export interface IncidentSignalLinks {
  /** Incidents that routing rules with `declareIncident` ask for. */
  readonly pageIncidents: PageIncidents;
  /** Overdue postmortems as tickets. */
  readonly postmortemTickets: PostmortemTickets;
  /** Leader only: the sweep of incident requests and the overdue-postmortem tickets. */
  readonly leaderTasks: readonly BackgroundTask[];
}

export interface IncidentSignalLinksOptions {
  readonly db: Kysely<Database>;
  readonly log: FastifyBaseLogger;
  readonly signals: SignalsStore;
  readonly tickets: TicketStore;
  readonly directory: OncallDirectory;
  readonly incidents: IncidentsDomain;
  /** How often the leader declares incidents a replica did not get to (ms). */
  readonly requestSweepMs: number;
  /** How often the leader raises overdue postmortems as tickets (ms). */
  readonly overdueTicketsMs: number;
  readonly now?: () => number;
}

/** What connects incidents with pages and tickets (the incidents side of the signals domain). */
export function createIncidentSignalLinks(options: IncidentSignalLinksOptions): IncidentSignalLinks {
  const { log } = options;
  const fromPages = pageIncidents({
    signals: options.signals,
    incidents: options.incidents.incidents,
    store: options.incidents.store,
    log,
    ...(options.now ? { now: options.now } : {}),
  });
  const tickets = postmortemTickets({
    db: options.db,
    tickets: options.tickets,
    postmortems: options.incidents.postmortems,
    postmortemStore: options.incidents.postmortemStore,
    incidents: options.incidents.store,
    directory: options.directory,
    log,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    pageIncidents: fromPages,
    postmortemTickets: tickets,
    leaderTasks: [
      intervalTask("incidents-from-pages", options.requestSweepMs, () => fromPages.declareRequested(), log),
      intervalTask("postmortem-overdue-tickets", options.overdueTicketsMs, () => tickets.run(), log),
    ],
  };
}
