import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { ResilienceEvents } from "../resilience/events.js";
import { version } from "./package-info.js";

/** nines' own metrics, one registry per server so that tests can run several servers in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "nines_" });
  // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool
  // flags them); the per-type gauges without the suffix carry the same information.
  for (const name of ["active_handles_total", "active_requests_total", "active_resources_total"]) {
    registry.removeSingleMetric(`nines_nodejs_${name}`);
  }
  const httpRequests = new Counter({
    name: "nines_http_requests_total",
    help: "HTTP requests served, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "nines_http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const dbQueryDuration = new Histogram({
    name: "nines_db_query_duration_seconds",
    help: "Database query duration in seconds, by query kind (select, insert, update, delete, raw).",
    labelNames: ["kind", "outcome"] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const leader = new Gauge({
    name: "nines_leader",
    help: "1 while this process is the leader that runs background work, else 0.",
    registers: [registry],
  });
  new Gauge({
    name: "nines_build_info",
    help: "Build information; the value is always 1.",
    labelNames: ["version", "node"] as const,
    registers: [registry],
  }).set({ version, node: process.version }, 1);

  return {
    registry,
    leader,
    /** Events of every resilience policy and shedder in this process, exported by resilience-metrics.ts. */
    resilience: new ResilienceEvents(),
    observeQuery(durationMs: number, kind: string, failed: boolean) {
      dbQueryDuration.observe({ kind, outcome: failed ? "error" : "ok" }, durationMs / 1000);
    },
    /** Records each response under its route pattern (never the raw URL, to bound cardinality). */
    instrument(app: FastifyInstance) {
      app.addHook("onResponse", async (request, reply) => {
        const route = request.routeOptions.url ?? "unmatched";
        const method = request.method;
        httpRequests.inc({ method, route, status: String(reply.statusCode) });
        httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
