import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { authStore } from "../../src/auth/auth.store.js";
import type { Scope } from "../../src/auth/auth.tables.js";
import type { DialectName } from "../../src/db/dialect-name.js";
import { singleProcessLeader } from "../../src/db/leader.js";
import { buildApp } from "../../src/server/app.js";
import { createDomains, type Domains } from "../../src/server/domains.js";
import { createLogger } from "../../src/server/logger.js";
import { createMetrics } from "../../src/server/metrics.js";
import { type ConfigOverrides, configWith } from "./config-overrides.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";

export interface TestApp {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  /** Every log line the app wrote, for checks that secrets never reach the log. */
  readonly logs: string[];
  readonly domains: Domains;
  readonly slo: Domains["slo"];
  token(scope: Scope): Promise<string>;
  close(): Promise<void>;
}

/** The real app on a fresh database, driven in process with `app.inject()`. */
export async function createTestApp(
  overrides: ConfigOverrides = {},
  dialect: DialectName = "sqlite",
): Promise<TestApp> {
  const config = configWith(overrides);
  const metrics = createMetrics();
  const database = await createTestDatabase(dialect, { onQuery: metrics.observeQuery });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: "trace", pretty: false, destination });
  const leader = singleProcessLeader();
  await leader.start();
  const domains = await createDomains({
    config,
    db: database.handle.db,
    logger,
    resilienceEvents: metrics.resilience,
  });
  const app = await buildApp({ config, database: database.handle, leader, metrics, logger, domains });
  await app.ready();
  const store = authStore(database.handle.db);
  return {
    app,
    database,
    logs,
    domains,
    slo: domains.slo,
    token: async (scope) => (await store.createToken(`test-${scope}`, scope)).token,
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}
