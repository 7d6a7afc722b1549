import { type Static, type TSchema, Type } from "typebox";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * How a pulled SLI source is doing, as the leader last saw it. While `state` is `error` the SLO
 * shows "no data" (never "ok" on stale numbers) and `condition` carries a ticket-level condition
 * for the signals pipeline; nothing pages on missing data.
 */
export const SourceStatusSchema = Type.Object(
  {
    kind: Type.Literal("prometheus"),
    url: Type.String({ description: "Base URL of the API (without credentials)" }),
    state: Type.Union([
      Type.Literal("pending"),
      Type.Literal("backfilling"),
      Type.Literal("ok"),
      Type.Literal("error"),
    ]),
    error: Nullable(
      Type.Object({
        kind: Type.Union([
          Type.Literal("query"),
          Type.Literal("unreachable"),
          Type.Literal("invalid"),
          Type.Literal("credentials"),
        ]),
        code: Type.String({ description: "NINES_ERR_* code of the failure" }),
        message: Type.String({ description: "The backend's own message (PromQL error) or the reason" }),
        since: Type.Number({ description: "Unix ms of the first failure in a row" }),
        failures: Type.Integer({ description: "Failed pulls in a row" }),
      }),
    ),
    lastSuccessAt: Nullable(Type.Number()),
    /** Newest step end stored from this source. */
    lastSampleAt: Nullable(Type.Number()),
    warnings: Type.Array(Type.String()),
    backfill: Nullable(
      Type.Object({
        state: Type.Union([Type.Literal("running"), Type.Literal("done"), Type.Literal("failed")]),
        fromMs: Type.Number(),
        toMs: Type.Number(),
        steps: Type.Integer(),
        doneSteps: Type.Integer(),
        percent: Type.Number({ description: "0–100" }),
        startedAt: Type.Number(),
        finishedAt: Nullable(Type.Number()),
      }),
    ),
    condition: Nullable(
      Type.Object({
        name: Type.Literal("source-error"),
        severity: Type.Literal("ticket"),
        since: Type.Number(),
        message: Type.String(),
      }),
    ),
  },
  { description: "Pulled SLI source (Prometheus-compatible API): health and back-fill progress" },
);

export type SourceStatus = Static<typeof SourceStatusSchema>;
