import { type Static, Type } from "typebox";
import { IncidentsConfigSchema } from "../incidents/incidents.config.js";
import { NotificationsConfigSchema } from "../notifications/notifications.config.js";
import { pipelineConfigProperties } from "../signals/pipeline.config.js";
import { ticketsConfigProperties } from "../signals/tickets.config.js";

const strict = { additionalProperties: false } as const;

/** The schema of nines.yaml. Every field has a default so that `nines serve` runs with no file. */
export const ConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ default: "127.0.0.1", description: "Address to listen on." }),
        port: Type.Integer({
          minimum: 0,
          maximum: 65535,
          default: 9099,
          description: "TCP port (0 = any free port).",
        }),
        bodyLimit: Type.Integer({
          minimum: 1024,
          maximum: 104_857_600,
          default: 1_048_576,
          description: "Largest accepted request body in bytes; larger bodies get 413.",
        }),
        publicUrl: Type.Optional(
          Type.String({ description: "URL users reach nines at (links in notifications)." }),
        ),
        shutdownTimeoutMs: Type.Integer({
          minimum: 0,
          default: 10_000,
          description: "Grace period for in-flight requests on SIGTERM.",
        }),
        maxInFlight: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          default: 256,
          description:
            "Requests served at once before new ones queue, then get 503 + Retry-After (load shedding).",
        }),
        maxQueue: Type.Integer({
          minimum: 0,
          maximum: 100_000,
          default: 512,
          description: "Requests that may wait for a slot.",
        }),
        maxQueueTimeMs: Type.Integer({
          minimum: 1,
          maximum: 60_000,
          default: 200,
          description: "Longest a request waits for a slot before it is shed.",
        }),
      },
      strict,
    ),
    database: Type.Object(
      {
        url: Type.Optional(
          Type.String({
            description: "postgres://… to use PostgreSQL; unset means the embedded SQLite file.",
          }),
        ),
        sqlitePath: Type.String({ default: "./data/nines.db", description: "SQLite database file." }),
        poolSize: Type.Integer({
          minimum: 1,
          maximum: 100,
          default: 10,
          description: "PostgreSQL connection pool size.",
        }),
      },
      strict,
    ),
    auth: Type.Object(
      {
        requireTokenForReads: Type.Boolean({
          default: false,
          description: "Require a token for GET requests too.",
        }),
        sessionTtlHours: Type.Integer({
          minimum: 1,
          maximum: 720,
          default: 12,
          description: "Web UI session lifetime.",
        }),
        maxFailuresPerMinute: Type.Integer({
          minimum: 1,
          default: 10,
          description: "Failed authentications per client address per minute before 429.",
        }),
      },
      strict,
    ),
    log: Type.Object(
      {
        level: Type.Union(
          ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => Type.Literal(l)),
          { default: "info" },
        ),
      },
      strict,
    ),
    slo: Type.Object(
      {
        tickSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 30,
          description: "How often the leader evaluates every SLO (SLI, budget, burn rates, alerts).",
        }),
        followIntervalMs: Type.Integer({
          minimum: 100,
          maximum: 60_000,
          default: 1_000,
          description: "How often each replica reads samples other replicas accepted.",
        }),
        pullStepSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 60,
          description:
            "Prometheus sources: the step each pull asks for ({{window}} of the live queries); at least twice the scrape interval.",
        }),
        pullDelaySeconds: Type.Integer({
          minimum: 0,
          maximum: 600,
          default: 15,
          description:
            "Prometheus sources: a step is pulled this long after it ends, so that the backend has ingested its last scrape.",
        }),
        pullConcurrency: Type.Integer({
          minimum: 1,
          maximum: 64,
          default: 4,
          description: "Prometheus sources: SLOs pulled (or back-filled) at the same time.",
        }),
      },
      strict,
    ),
    alertmanager: Type.Object(
      {
        url: Type.Optional(
          Type.String({
            pattern: "^https?://",
            description:
              "Push nines' SLO alerts to this Alertmanager (POST /api/v2/alerts), re-sent every tick while firing.",
          }),
        ),
      },
      strict,
    ),
    leader: Type.Object(
      {
        retryIntervalMs: Type.Integer({
          minimum: 100,
          default: 2_000,
          description: "How often a follower tries to take leadership (PostgreSQL).",
        }),
      },
      strict,
    ),
    signals: Type.Object({ ...ticketsConfigProperties, ...pipelineConfigProperties }, strict),
    notifications: NotificationsConfigSchema,
    incidents: IncidentsConfigSchema,
  },
  strict,
);

export type Config = Static<typeof ConfigSchema>;
