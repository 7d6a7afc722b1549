import { type Static, Type } from "typebox";
import { SourceStatusSchema } from "./sources/source-status.js";

const strict = { additionalProperties: false } as const;

export const SloParams = Type.Object(
  {
    service: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  strict,
);

export const ApplyBody = Type.Object(
  {
    files: Type.Array(
      Type.Object(
        {
          path: Type.String({ minLength: 1, maxLength: 1000, description: "Shown in diagnostics" }),
          text: Type.String({
            maxLength: 1_000_000,
            description: "YAML: nines/v1, OpenSLO v1 or Sloth prometheus/v1",
          }),
        },
        strict,
      ),
      { minItems: 1, maxItems: 1000 },
    ),
    dryRun: Type.Optional(Type.Boolean({ description: "Validate only; store nothing." })),
  },
  strict,
);

export const DiagnosticSchema = Type.Object({
  severity: Type.Union([Type.Literal("error"), Type.Literal("warning")]),
  file: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
  path: Type.String(),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
});

export const ApplyResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      outcome: Type.Union([
        Type.Literal("created"),
        Type.Literal("updated"),
        Type.Literal("unchanged"),
        Type.Literal("valid"),
      ]),
    }),
  ),
  warnings: Type.Array(DiagnosticSchema),
});

export const WindowStatusSchema = Type.Object({
  windowMs: Type.Number(),
  good: Type.Number(),
  total: Type.Number(),
  sli: Type.Union([Type.Number(), Type.Null()]),
  burnRate: Type.Number(),
});

export const LineStatusSchema = Type.Object({
  name: Type.String(),
  severity: Type.Union([Type.Literal("page"), Type.Literal("ticket")]),
  state: Type.Union([
    Type.Literal("ok"),
    Type.Literal("firing"),
    Type.Literal("held"),
    Type.Literal("disabled"),
  ]),
  burnRate: Type.Number(),
  longBurnRate: Type.Number(),
  shortBurnRate: Type.Number(),
  longEvents: Type.Number(),
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const SloSummarySchema = Type.Object({
  id: Type.String(),
  service: Type.String(),
  name: Type.String(),
  team: Type.String(),
  description: Type.String(),
  objective: Type.Number({ description: "Fraction, e.g. 0.999" }),
  windowLabel: Type.String(),
  sliKind: Type.Union([Type.Literal("ratio"), Type.Literal("latency")]),
  version: Type.Integer(),
  sli: Type.Union([Type.Number(), Type.Null()]),
  budgetRemaining: Type.Number({
    description: "Share of the error budget left (1 = intact; below 0 = overspent)",
  }),
  budget: Type.Object({
    method: Type.String(),
    allowed: Type.Number(),
    spent: Type.Number(),
    remaining: Type.Number(),
  }),
  burnRateShort: Type.Number({ description: "Burn rate over the shortest alert window" }),
  burnRateLong: Type.Number({ description: "Burn rate over 1 h (or the page line's long window)" }),
  state: Type.Union([
    Type.Literal("ok"),
    Type.Literal("ticket"),
    Type.Literal("page"),
    Type.Literal("no data"),
  ]),
  firing: Type.Array(Type.String()),
  missingData: Type.Boolean(),
  source: Type.Optional(SourceStatusSchema),
});

export const SloDetailSchema = Type.Object({
  summary: SloSummarySchema,
  yaml: Type.String(),
  format: Type.String(),
  spec: Type.Unknown(),
  windows: Type.Array(WindowStatusSchema),
  lines: Type.Array(LineStatusSchema),
  forecasts: Type.Array(
    Type.Object({
      lookbackMs: Type.Number(),
      burnRate: Type.Number(),
      exhaustedInMs: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  explain: Type.Unknown(),
});

export const SeriesQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ description: "Unix ms; default: the SLO window ago" })),
    to: Type.Optional(Type.Integer({ description: "Unix ms; default: now" })),
    step: Type.Optional(
      Type.Integer({ minimum: 10_000, description: "ms between points; default: (to-from)/240" }),
    ),
  },
  strict,
);

export const SeriesResponse = Type.Object({
  windows: Type.Array(Type.Object({ name: Type.String(), windowMs: Type.Number() })),
  points: Type.Array(
    Type.Object({
      at: Type.Number(),
      good: Type.Number(),
      total: Type.Number(),
      sli: Type.Union([Type.Number(), Type.Null()]),
      budgetRemaining: Type.Number(),
      burnRates: Type.Array(Type.Number(), { description: "Burn rate over each of `windows`, in order" }),
    }),
  ),
  annotations: Type.Array(
    Type.Object({
      id: Type.Number(),
      kind: Type.String(),
      at: Type.Number(),
      endAt: Type.Union([Type.Number(), Type.Null()]),
      text: Type.String(),
      author: Type.String(),
    }),
  ),
});

export const AlertEventsQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer()),
    to: Type.Optional(Type.Integer()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  strict,
);

export const AlertEventSchema = Type.Object({
  id: Type.Number(),
  sloId: Type.String(),
  service: Type.String(),
  line: Type.String(),
  severity: Type.String(),
  state: Type.String(),
  at: Type.Number(),
  burnRates: Type.Object({ long: Type.Number(), short: Type.Number() }),
  budgetRemaining: Type.Number(),
  reason: Type.String(),
});

export const SamplesBody = Type.Object(
  {
    cumulative: Type.Optional(
      Type.Boolean({
        description:
          "true: counts are cumulative counters (resets handled); default: counts per interval ending at ts",
      }),
    ),
    samples: Type.Array(
      Type.Object(
        {
          slo: Type.String({ minLength: 3, maxLength: 401, description: "SLO id: service/name" }),
          ts: Type.Union([Type.Integer(), Type.String({ format: "date-time" })], {
            description: "Unix ms or RFC 3339",
          }),
          good: Type.Optional(Type.Number({ minimum: 0 })),
          bad: Type.Optional(Type.Number({ minimum: 0 })),
          total: Type.Optional(Type.Number({ minimum: 0 })),
          buckets: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
        },
        strict,
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  strict,
);

export const SamplesResponse = Type.Object({
  accepted: Type.Integer(),
  unchanged: Type.Integer({ description: "Samples equal to ones already stored (retries)" }),
});

export const AnnotationBody = Type.Object(
  {
    kind: Type.Union([Type.Literal("deploy"), Type.Literal("incident"), Type.Literal("note")]),
    at: Type.Integer(),
    endAt: Type.Optional(Type.Integer()),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  strict,
);

export const AdjustmentBody = Type.Object(
  {
    from: Type.Integer({ description: "Unix ms, start of the excluded range" }),
    to: Type.Integer({ description: "Unix ms, end of the excluded range" }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  strict,
);

export type SloSummary = Static<typeof SloSummarySchema>;
export type SloDetail = Static<typeof SloDetailSchema>;
export type SeriesResponse = Static<typeof SeriesResponse>;
export type AlertEventDto = Static<typeof AlertEventSchema>;
