import cookie from "@fastify/cookie";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { registerAuth } from "../auth/auth.plugin.js";
import { authRoutes } from "../auth/auth.routes.js";
import { authStore } from "../auth/auth.store.js";
import { FailureLimiter } from "../auth/failure-limiter.js";
import type { Config } from "../config/config-schema.js";
import type { DatabaseHandle } from "../db/create-database.js";
import type { LeaderElector } from "../db/leader.js";
import { incidentRoutes } from "../incidents/incident.routes.js";
import { postmortemRoutes } from "../incidents/postmortem.routes.js";
import { notificationsRoutes } from "../notifications/notifications.routes.js";
import { oncallRoutes } from "../oncall/oncall.routes.js";
import { pageLoadRoutes } from "../oncall/page-load.routes.js";
import { signalsPageTimes } from "../oncall/page-load-signals.js";
import { alertmanagerRoutes } from "../prometheus/alertmanager/alertmanager.routes.js";
import { externalAlertsStore } from "../prometheus/alertmanager/external-alerts.store.js";
import { remoteWriteRoutes } from "../prometheus/remote-write/remote-write.routes.js";
import { ninesResilience } from "../resilience/fastify-plugin.js";
import { LoadShedder } from "../resilience/load-shedder.js";
import { pagesRoutes } from "../signals/pages.routes.js";
import { signalsRoutes } from "../signals/signals.routes.js";
import { ticketsDomainRoutes } from "../signals/tickets.domain.js";
import { backtestRoutes } from "../slo/backtest.routes.js";
import { samplesRoutes } from "../slo/samples.routes.js";
import { sloRoutes } from "../slo/slo.routes.js";
import type { Domains } from "./domains.js";
import { registerErrorHandling } from "./error-handler.js";
import type { Metrics } from "./metrics.js";
import { registerOpenApi } from "./openapi.js";
import { exportResilienceMetrics } from "./resilience-metrics.js";
import { registerWebUi } from "./static-web.js";
import { systemRoutes } from "./system.routes.js";
import { registerValidators } from "./validator.js";

const UNSHED_PATHS = new Set(["/api/v1/health", "/api/v1/ready", "/metrics"]);

export interface AppDependencies {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly leader: LeaderElector;
  readonly metrics: Metrics;
  readonly logger: FastifyBaseLogger;
  readonly domains: Domains;
}

/** Builds the HTTP server: plugins, auth, routes, docs and the web UI. Does not listen. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database, leader, metrics } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: config.server.bodyLimit,
    trustProxy: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidators(app);
  registerErrorHandling(app);
  metrics.instrument(app);
  // SRE book ch. 22: shed load early instead of queueing until everything times out. Probes and
  // /metrics bypass it so that an overloaded server still reports how overloaded it is.
  const events = metrics.resilience;
  const shedder = new LoadShedder({
    name: "http",
    limit: config.server.maxInFlight,
    maxQueue: config.server.maxQueue,
    maxQueueTimeMs: config.server.maxQueueTimeMs,
    events,
  });
  exportResilienceMetrics(metrics.registry, events, shedder);
  await app.register(ninesResilience, {
    shedder,
    exclude: (request) => UNSHED_PATHS.has(request.url.split("?")[0] ?? ""),
  });
  await app.register(cookie);
  await registerOpenApi(app);

  const store = authStore(database.db);
  const limiter = new FailureLimiter(config.auth.maxFailuresPerMinute);
  registerAuth(app, { store, limiter, requireTokenForReads: config.auth.requireTokenForReads });

  await app.register(systemRoutes, { database, leader, metrics, startedAt: Date.now() });
  await app.register(authRoutes, {
    store,
    limiter,
    sessionTtlHours: config.auth.sessionTtlHours,
    requireTokenForReads: config.auth.requireTokenForReads,
  });
  await app.register(sloRoutes, { store: deps.domains.slo.store, runtime: deps.domains.slo.runtime });
  await app.register(samplesRoutes, { store: deps.domains.slo.store, runtime: deps.domains.slo.runtime });
  await app.register(backtestRoutes);
  await app.register(incidentRoutes, {
    incidents: deps.domains.incidents.incidents,
    postmortems: deps.domains.incidents.postmortems,
    postmortemStore: deps.domains.incidents.postmortemStore,
  });
  await app.register(postmortemRoutes, { postmortems: deps.domains.incidents.postmortems });
  await app.register(alertmanagerRoutes, {
    store: externalAlertsStore(database.db),
    signals: deps.domains.signals,
  });
  await app.register(signalsRoutes, { signals: deps.domains.signals });
  await app.register(pagesRoutes, { pages: deps.domains.signals.pages });
  await app.register(ticketsDomainRoutes, { domain: deps.domains.tickets });
  await app.register(remoteWriteRoutes, {
    runtime: deps.domains.slo.runtime,
    registry: metrics.registry,
    bodyLimit: config.server.bodyLimit,
  });
  await app.register(notificationsRoutes, { notifications: deps.domains.notifications });
  await app.register(oncallRoutes, {
    store: deps.domains.oncall.store,
    db: database.db,
    outbox: deps.domains.oncall.outbox,
  });
  await app.register(pageLoadRoutes, {
    store: deps.domains.oncall.store,
    pageTimes: signalsPageTimes(deps.domains.signals.store),
  });
  await registerWebUi(app);
  return app;
}
