import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sql } from "kysely";
import type { DatabaseHandle } from "../db/create-database.js";
import type { LeaderElector } from "../db/leader.js";
import { pendingMigrations } from "../db/migrate.js";
import type { Metrics } from "./metrics.js";
import { version } from "./package-info.js";
import { HealthResponse, ReadyResponse, VersionResponse } from "./system.schemas.js";

export interface SystemRoutesOptions {
  readonly database: DatabaseHandle;
  readonly leader: LeaderElector;
  readonly metrics: Metrics;
  readonly startedAt: number;
}

export const systemRoutes: FastifyPluginAsyncTypebox<SystemRoutesOptions> = async (app, options) => {
  const { database, leader, metrics, startedAt } = options;

  app.get(
    "/api/v1/health",
    {
      config: { access: "public" },
      schema: {
        tags: ["system"],
        summary: "Liveness: the process answers.",
        response: { 200: HealthResponse },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/api/v1/ready",
    {
      config: { access: "public" },
      schema: {
        tags: ["system"],
        summary: "Readiness: the database is reachable and every migration is applied.",
        response: { 200: ReadyResponse, 503: ReadyResponse },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(database.db);
        const pending = await pendingMigrations(database.db, database.dialect);
        const ready = pending.length === 0;
        return reply.status(ready ? 200 : 503).send({
          status: ready ? "ready" : "not ready",
          database: { dialect: database.dialect, reachable: true, pendingMigrations: pending },
        });
      } catch (error) {
        return reply.status(503).send({
          status: "not ready",
          database: {
            dialect: database.dialect,
            reachable: false,
            pendingMigrations: [],
            error: error instanceof Error ? error.message : String(error),
          },
        });
      }
    },
  );

  app.get(
    "/api/v1/version",
    {
      schema: {
        tags: ["system"],
        summary: "Version, database engine and leadership of this process.",
        response: { 200: VersionResponse },
      },
    },
    async () => ({
      name: "nines" as const,
      version,
      node: process.version,
      dialect: database.dialect,
      leader: leader.isLeader(),
      startedAt,
    }),
  );

  app.get(
    "/metrics",
    {
      schema: {
        tags: ["system"],
        summary: "nines' own metrics in the Prometheus text format.",
        produces: ["text/plain"],
      },
    },
    async (_request, reply) => {
      metrics.leader.set(leader.isLeader() ? 1 : 0);
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};
