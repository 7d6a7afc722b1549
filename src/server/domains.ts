import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Config } from "../config/config-schema.js";
import type { Database } from "../db/database.js";
import {
  type AlertmanagerSender,
  alertmanagerSender,
} from "../prometheus/alertmanager/alertmanager-sender.js";
import type { ResilienceEvents } from "../resilience/index.js";
import { createSloDomain, type SloDomain } from "../slo/slo-domain.js";
import type { BackgroundTask } from "./background.js";

/**
 * The composition root: every domain of one replica, wired to the others. The HTTP app takes its
 * routes' dependencies from here; `nines serve` also runs the background tasks.
 */
export interface Domains {
  readonly slo: SloDomain;
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
  let sender: AlertmanagerSender | undefined;
  const slo = await createSloDomain(db, logger, {
    ...config.slo,
    afterTick: (events) => sender?.sync(events) ?? Promise.resolve(),
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
  return {
    slo,
    followerTasks: [slo.follower],
    leaderTasks: [...slo.leaderTasks],
  };
}
