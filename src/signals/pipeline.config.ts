import { Type } from "typebox";

/** The `signals` fields of the pipeline, pages and escalation (spread into the section's schema). */
export const pipelineConfigProperties = {
  linkSecret: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        "Key that signs one-click acknowledge/resolve links (HMAC-SHA256); unset, nines generates one and keeps it in the database.",
    }),
  ),
  linkTtlHours: Type.Number({
    exclusiveMinimum: 0,
    maximum: 720,
    default: 72,
    description: "How long a one-click acknowledge/resolve link in a notification stays valid.",
  }),
  groupingIntervalMs: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 1_000,
    description: "How often the leader steps signal grouping (group_wait/group_interval timers).",
  }),
  escalationIntervalMs: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 5_000,
    description: "How often the leader runs the escalation policies of unacknowledged pages.",
  }),
  reconcileIntervalMs: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 10_000,
    description:
      "How often the leader resolves signals past their end or quiet period and releases held ones.",
  }),
};
