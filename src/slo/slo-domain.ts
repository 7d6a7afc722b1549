import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { ResilienceEvents } from "../resilience/index.js";
import type { BackgroundTask } from "../server/background.js";
import { intervalTask } from "../server/interval-task.js";
import type { AlertEvent } from "./evaluator-types.js";
import { type SloStore, sloStore } from "./slo.store.js";
import { RETENTION_MS, SloRuntime } from "./slo-runtime.js";
import { SourcePuller } from "./sources/source-puller.js";

export interface SloDomain {
  readonly store: SloStore;
  readonly runtime: SloRuntime;
  /** Runs on every replica: apply samples other replicas accepted. */
  readonly follower: BackgroundTask;
  /** Leader only: evaluate every SLO each tick, and drop samples past the retention hourly. */
  readonly leaderTasks: readonly BackgroundTask[];
  /** Pulls (and back-fills) the SLI of SLOs with a Prometheus source; its task is a leader task. */
  readonly sources: SourcePuller;
}

export interface SloDomainOptions {
  readonly tickSeconds: number;
  readonly followIntervalMs: number;
  /** Called after each evaluation with its transitions (e.g. to push alerts to Alertmanager). */
  readonly afterTick?: (events: readonly AlertEvent[]) => Promise<unknown>;
  /** Prometheus sources: the step each pull asks for (default 60). */
  readonly pullStepSeconds?: number;
  /** Prometheus sources: steps end this long before now (default 15). */
  readonly pullDelaySeconds?: number;
  /** Prometheus sources: SLOs pulled at once (default 4). */
  readonly pullConcurrency?: number;
  readonly resilienceEvents?: ResilienceEvents;
}

/** Wires the SLO domain's store, runtime and background work for one replica. */
export async function createSloDomain(
  db: Kysely<Database>,
  log: FastifyBaseLogger,
  options: SloDomainOptions,
): Promise<SloDomain> {
  const store = sloStore(db);
  const runtime = new SloRuntime({ store, log });
  await runtime.load();
  const sources = new SourcePuller({
    runtime,
    log,
    stepMs: (options.pullStepSeconds ?? 60) * 1000,
    delayMs: (options.pullDelaySeconds ?? 15) * 1000,
    concurrency: options.pullConcurrency ?? 4,
    ...(options.resilienceEvents ? { events: options.resilienceEvents } : {}),
  });
  return {
    sources,
    store,
    runtime,
    follower: intervalTask("slo-follow", options.followIntervalMs, () => runtime.follow(), log),
    leaderTasks: [
      intervalTask(
        "slo-evaluate",
        options.tickSeconds * 1000,
        async () => {
          const events = await runtime.tick();
          await options.afterTick?.(events);
        },
        log,
      ),
      intervalTask(
        "sli-retention",
        3_600_000,
        () => store.deleteSamplesBefore(Date.now() - RETENTION_MS),
        log,
      ),
      sources.task(),
    ],
  };
}
