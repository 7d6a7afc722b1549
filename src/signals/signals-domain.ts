import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import { groupCommit } from "../db/group-commit.js";
import type { NotificationOutbox } from "../notifications/notification.js";
import type { OncallDirectory } from "../oncall/directory.js";
import type { ExternalAlertEvent } from "../prometheus/alertmanager/external-alert-event.js";
import type { BackgroundTask } from "../server/background.js";
import { intervalTask } from "../server/interval-task.js";
import type { AlertEvent } from "../slo/evaluator-types.js";
import { EscalationRunner } from "./escalation-runner.js";
import { PageService } from "./page.service.js";
import {
  type EventLogSink,
  type IngestResult,
  type MaintenanceSource,
  SignalPipeline,
  type SilenceSource,
  type TicketSink,
} from "./pipeline.js";
import { alertmanagerEventToSignal, sloEventToSignal } from "./pipeline-sources.js";
import { RoutingRuntime } from "./routing-runtime.js";
import type { Signal } from "./signal.js";
import { type SignalsStore, signalsStore } from "./signals.store.js";

export interface SignalsDomainOptions {
  readonly outbox: NotificationOutbox;
  readonly tickets: TicketSink;
  readonly eventLog: EventLogSink;
  readonly silences: SilenceSource;
  readonly maintenance: MaintenanceSource;
  readonly directory: OncallDirectory;
  /** Absolute URL of nines, for links in notifications. */
  readonly publicUrl: string;
  /** Configured link-signing key; unset, one is generated and kept in the database. */
  readonly linkSecret?: string | undefined;
  readonly linkTtlMs: number;
  readonly ticketDueMs: number;
  readonly groupingIntervalMs: number;
  readonly escalationIntervalMs: number;
  readonly reconcileIntervalMs: number;
  /** The clock (tests use a simulated one). */
  readonly now?: () => number;
  /** After a commit that opened pages on routes with `declareIncident` (see SignalPipelineDeps). */
  readonly onIncidentRequested?: (pageIds: readonly number[]) => Promise<unknown>;
  /** Called after a background step queued notifications (wakes the delivery worker). */
  readonly onNotificationsQueued?: () => void;
}

export interface SignalsDomain {
  readonly store: SignalsStore;
  readonly routing: RoutingRuntime;
  readonly pipeline: SignalPipeline;
  readonly pages: PageService;
  readonly escalation: EscalationRunner;
  ingest(signals: readonly Signal[]): Promise<IngestResult[]>;
  /** The SLO evaluator's transitions of one tick, as signals. */
  ingestSloEvents(events: readonly AlertEvent[]): Promise<IngestResult[]>;
  /** Alerts received on the Alertmanager webhook, as signals. */
  ingestAlertmanagerEvents(events: readonly ExternalAlertEvent[]): Promise<IngestResult[]>;
  /** Leader only: grouping, escalation, auto-resolve. */
  readonly leaderTasks: readonly BackgroundTask[];
}

/** Wires the signal pipeline, pages and escalation of one replica. */
export async function createSignalsDomain(
  db: Kysely<Database>,
  log: FastifyBaseLogger,
  options: SignalsDomainOptions,
): Promise<SignalsDomain> {
  const now = options.now ?? Date.now;
  const store = signalsStore(db);
  const routing = new RoutingRuntime(store, now);
  const linkSecret =
    options.linkSecret ?? (await store.settingOrInit("link-secret", randomBytes(32).toString("hex")));
  const pipeline = new SignalPipeline({
    db,
    store,
    routing,
    outbox: options.outbox,
    tickets: options.tickets,
    eventLog: options.eventLog,
    silences: options.silences,
    maintenance: options.maintenance,
    directory: options.directory,
    now,
    log,
    ticketDueMs: options.ticketDueMs,
    onIncidentRequested: options.onIncidentRequested,
  });
  const pages = new PageService({
    db,
    store,
    outbox: options.outbox,
    now,
    linkSecret,
    publicUrl: options.publicUrl,
    linkTtlMs: options.linkTtlMs,
  });
  const escalation = new EscalationRunner({
    db,
    store,
    outbox: options.outbox,
    directory: options.directory,
    pages,
    now,
    log,
  });
  const queued = (result: { notifications: number }) => {
    if (result.notifications > 0) options.onNotificationsQueued?.();
  };
  const grouping = intervalTask(
    "signal-grouping",
    options.groupingIntervalMs,
    async () => queued(await pipeline.groupingTick()),
    log,
  );
  // New signals wake the grouping step on the leader, so that a page waits for its route's
  // groupWait and not for the next grouping interval as well.
  // Concurrent requests share one transaction (group commit) instead of queueing one by one.
  const write = groupCommit((signals: readonly Signal[]) => pipeline.ingest(signals));
  const ingest = async (signals: readonly Signal[]) => {
    if (signals.length === 0) return [];
    const results = await write(signals);
    grouping.wake();
    return results;
  };
  return {
    store,
    routing,
    pipeline,
    pages,
    escalation,
    ingest,
    ingestSloEvents: (events) => ingest(events.map(sloEventToSignal)),
    ingestAlertmanagerEvents: (events) => ingest(events.map((e) => alertmanagerEventToSignal(e, now()))),
    leaderTasks: [
      {
        // A new leader reloads the groups from the database instead of trusting what it held before.
        name: "signal-grouping",
        start(signal) {
          pipeline.dropGroupingCache();
          return grouping.start(signal);
        },
      },
      intervalTask(
        "page-escalation",
        options.escalationIntervalMs,
        async () => queued(await escalation.run()),
        log,
      ),
      intervalTask("signal-reconcile", options.reconcileIntervalMs, () => pipeline.reconcile(), log),
    ],
  };
}
