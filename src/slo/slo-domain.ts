import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { BackgroundTask } from "../server/background.js";
import { intervalTask } from "../server/interval-task.js";
import type { AlertEvent } from "./evaluator-types.js";
import { type SloStore, sloStore } from "./slo.store.js";
import { RETENTION_MS, SloRuntime } from "./slo-runtime.js";

export interface SloDomain {
  readonly store: SloStore;
  readonly runtime: SloRuntime;
  /** Runs on every replica: apply samples other replicas accepted. */
  readonly follower: BackgroundTask;
  /** Leader only: evaluate every SLO each tick, and drop samples past the retention hourly. */
  readonly leaderTasks: readonly BackgroundTask[];
}

export interface SloDomainOptions {
  readonly tickSeconds: number;
  readonly followIntervalMs: number;
  /** Called after each evaluation with its transitions (e.g. to push alerts to Alertmanager). */
  readonly afterTick?: (events: readonly AlertEvent[]) => Promise<unknown>;
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
  return {
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
    ],
  };
}
