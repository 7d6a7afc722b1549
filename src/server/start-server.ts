import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { authStore } from "../auth/auth.store.js";
import { parseToken } from "../auth/token.js";
import type { Config } from "../config/config-schema.js";
import { ConfigInvalidError } from "../config/errors.js";
import { createDatabase, type DatabaseHandle, isPostgresUrl } from "../db/create-database.js";
import { advisoryLockLeader, type LeaderElector, singleProcessLeader } from "../db/leader.js";
import { migrateToLatest } from "../db/migrate.js";
import { buildApp } from "./app.js";
import { type BackgroundTask, runWhileLeader } from "./background.js";
import { createDomains, type Domains } from "./domains.js";
import { createMetrics } from "./metrics.js";

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly database: DatabaseHandle;
  readonly leader: LeaderElector;
  readonly domains: Domains;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** NINES_ADMIN_TOKEN: an admin token chosen by the operator, created on start if missing. */
  readonly adminToken?: string | undefined;
  readonly tasks?: readonly BackgroundTask[];
}

/** Opens the database, migrates it, takes part in leader election and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const metrics = createMetrics();
  const database = createDatabase({
    url: config.database.url,
    sqlitePath: config.database.sqlitePath,
    poolSize: config.database.poolSize,
    onQuery: metrics.observeQuery,
    onConnectionError: (err) =>
      logger.warn({ err }, "an idle database connection failed; it will be replaced"),
    backgroundCheckpoint: {
      onError: (message) =>
        logger.warn({ error: message }, "checkpointing the SQLite write-ahead log failed"),
    },
  });
  logger.info({ dialect: database.dialect, location: database.location }, "opening database");
  const applied = await migrateToLatest(database.db, database.dialect);
  if (applied.length > 0) logger.info({ migrations: applied }, "applied migrations");

  await bootstrapAdmin(database, logger, options.adminToken);

  const leader = isPostgresUrl(config.database.url)
    ? advisoryLockLeader({
        url: config.database.url,
        retryIntervalMs: config.leader.retryIntervalMs,
        onError: (err) => logger.warn({ err }, "leader election connection failed; retrying"),
      })
    : singleProcessLeader();
  leader.onChange((isLeader) => metrics.leader.set(isLeader ? 1 : 0));
  const domains = await createDomains({
    config,
    db: database.db,
    logger,
    resilienceEvents: metrics.resilience,
  });
  const background = runWhileLeader(leader, [...domains.leaderTasks, ...(options.tasks ?? [])], logger);
  const follower = new AbortController();
  for (const task of domains.followerTasks) task.start(follower.signal);

  const app = await buildApp({ config, database, leader, metrics, logger, domains });
  await app.listen({ host: config.server.host, port: config.server.port });
  await leader.start();
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.server.port;
  const host =
    config.server.host === "0.0.0.0" || config.server.host === "::" ? "127.0.0.1" : config.server.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      background.stop();
      follower.abort();
      await app.close();
      await leader.stop();
      await database.close();
    })();
    return closing;
  };
  return { app, url, database, leader, domains, close };
}

async function bootstrapAdmin(database: DatabaseHandle, logger: Logger, adminToken: string | undefined) {
  const store = authStore(database.db);
  if (adminToken) {
    const parsed = parseToken(adminToken);
    if (!parsed) {
      throw new ConfigInvalidError(
        "NINES_ADMIN_TOKEN is not a nines token; create one with `nines token generate` and set that value",
      );
    }
    if (await store.ensureToken(parsed.id, parsed.secret, "admin (NINES_ADMIN_TOKEN)", "admin")) {
      logger.info({ tokenId: parsed.id }, "created the admin token given in NINES_ADMIN_TOKEN");
    }
    return;
  }
  if ((await store.countAdminTokens()) === 0) {
    logger.warn(
      "no admin token exists yet. Create one with `npx nines token create --name admin --scope admin` " +
        "(same database settings as this server), or start with NINES_ADMIN_TOKEN set to the output of `npx nines token generate`.",
    );
  }
}
