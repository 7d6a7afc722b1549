/**
 * TypeBox schemas of the native `nines/v1` documents. They are the single definition of the
 * format: the validator walks them (schema-check.ts) and schemas/slo.schema.json is generated
 * from them (`nines slo schema`).
 */
import { type Static, Type } from "typebox";
import { DURATION_PATTERN } from "../duration.js";

export const NAME_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$";

/** Prometheus label names: labels end up on alerts and generated rules. */
export const LABEL_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

const Name = (description: string) =>
  Type.String({ pattern: NAME_PATTERN, description: `${description} Letters, digits, ".", "_" and "-".` });
const Duration = (description: string) =>
  Type.String({
    pattern: DURATION_PATTERN,
    description: `${description} A duration such as "30d", "5m", "1h30m".`,
  });
const StringMap = (description: string) => Type.Record(Type.String(), Type.String(), { description });
const LabelMap = (description: string) =>
  Type.Record(Type.String({ pattern: LABEL_NAME_PATTERN }), Type.String(), {
    additionalProperties: false,
    description: `${description} Keys are Prometheus label names: letters, digits and "_", not starting with a digit.`,
  });

export const AlertLineSchema = Type.Object(
  {
    severity: Type.Optional(
      Type.Union([Type.Literal("page"), Type.Literal("ticket")], {
        description: "page: a human acts now; ticket: a human acts within days (SRE book ch. 1).",
      }),
    ),
    burnRate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "Fires when both windows burn the budget at least this fast.",
      }),
    ),
    longWindow: Type.Optional(Duration("Long window of the line.")),
    shortWindow: Type.Optional(Duration("Short window; the Workbook uses 1/12 of the long window.")),
    enabled: Type.Optional(Type.Boolean({ description: "false turns this line off." })),
    minEvents: Type.Optional(
      Type.Integer({ minimum: 0, description: "Events needed in the long window before the line may fire." }),
    ),
    labels: Type.Optional(LabelMap("Labels added to this line's alerts.")),
    annotations: Type.Optional(StringMap("Annotations added to this line's alerts.")),
  },
  { additionalProperties: false, description: "Fields of one alert line; absent fields are inherited." },
);

const AlertLines = Type.Record(Type.String(), AlertLineSchema, {
  description: "Alert lines by name (page-fast, page-slow, ticket-fast, ticket-slow, or new ones).",
});

export const AlertingSchema = Type.Object(
  {
    policy: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          '"default" (Workbook lines scaled to the window), "none", or the name of an AlertPolicy.',
      }),
    ),
    missingDataAfter: Type.Optional(Duration("A no-data ticket after this long without samples.")),
    name: Type.Optional(Type.String({ minLength: 1, description: "Alert name in generated rules." })),
    labels: Type.Optional(LabelMap("Labels added to every line's alerts.")),
    annotations: Type.Optional(StringMap("Annotations added to every line's alerts.")),
    lines: Type.Optional(AlertLines),
  },
  { additionalProperties: false },
);

export const SliSchema = Type.Object(
  {
    ratio: Type.Optional(
      Type.Object(
        {
          count: Type.Union([Type.Literal("good"), Type.Literal("bad")], {
            description: "Whether the source counts good events or bad events beside the total.",
          }),
        },
        {
          additionalProperties: false,
          description: "Availability-style SLI: good (or bad) events / all events.",
        },
      ),
    ),
    latency: Type.Optional(
      Type.Object(
        {
          thresholdSeconds: Type.Number({
            exclusiveMinimum: 0,
            description: "Requests at or under this many seconds are good; must be one of the buckets.",
          }),
          buckets: Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
            minItems: 1,
            description: "Histogram bucket upper bounds in seconds, ascending, without +Inf.",
          }),
        },
        { additionalProperties: false, description: "Share of requests at or under a latency threshold." },
      ),
    ),
  },
  { additionalProperties: false, description: "Exactly one of ratio or latency." },
);

export const ObjectiveSchema = Type.Object(
  {
    target: Type.Number({
      description: "Target in percent, strictly between 0 and 100, e.g. 99.9. 100 leaves no error budget.",
    }),
  },
  { additionalProperties: false },
);

export const WindowSchema = Type.Object(
  {
    rolling: Type.Optional(Duration("Rolling window length, e.g. 28d or 30d.")),
    calendar: Type.Optional(
      Type.Union([Type.Literal("week"), Type.Literal("month"), Type.Literal("quarter")], {
        description: "Calendar period; weeks start on Monday.",
      }),
    ),
    timeZone: Type.Optional(
      Type.String({ minLength: 1, description: "IANA time zone of calendar periods (UTC)." }),
    ),
  },
  { additionalProperties: false, description: "Exactly one of rolling or calendar." },
);

export const BudgetingSchema = Type.Object(
  {
    method: Type.Union([Type.Literal("occurrences"), Type.Literal("timeslices")], {
      description: "occurrences: good events / all events; timeslices: good slices / all slices.",
    }),
    sliceWindow: Type.Optional(Duration("Length of one time slice (timeslices only), e.g. 1m.")),
    sliceTarget: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 100,
        description: "Percent of good events that makes a slice good (timeslices only).",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Environment variable names: where the nines server finds a secret the spec only names. */
export const ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

const EnvName = (description: string) =>
  Type.String({ pattern: ENV_NAME_PATTERN, description: `${description} Letters, digits and "_".` });

export const PrometheusAuthSchema = Type.Object(
  {
    bearer: Type.Optional(
      Type.Object(
        { tokenEnv: EnvName("Environment variable of the nines server holding the bearer token.") },
        { additionalProperties: false, description: "Authorization: Bearer <token>." },
      ),
    ),
    basic: Type.Optional(
      Type.Object(
        {
          username: Type.String({ minLength: 1, description: "Basic auth user name." }),
          passwordEnv: EnvName("Environment variable of the nines server holding the password."),
        },
        { additionalProperties: false, description: "HTTP basic authentication." },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Exactly one of bearer or basic. Secrets are read from the server's environment, never written in a spec.",
  },
);

export const SourceSchema = Type.Object(
  {
    push: Type.Optional(
      Type.Object({}, { additionalProperties: false, description: "Counts are pushed to nines (default)." }),
    ),
    prometheus: Type.Optional(
      Type.Object(
        {
          url: Type.String({ minLength: 1, description: "Base URL of the Prometheus-compatible API." }),
          eventsQuery: Type.String({
            minLength: 1,
            description:
              "PromQL for good (or bad, per sli.ratio.count) events, with a {{window}} placeholder.",
          }),
          totalQuery: Type.String({ minLength: 1, description: "PromQL for all events, with {{window}}." }),
          headers: Type.Optional(StringMap("HTTP headers sent with each query.")),
          selector: Type.Optional(
            Type.String({ description: "Series selector matched against remote-write." }),
          ),
          auth: Type.Optional(PrometheusAuthSchema),
          timeout: Type.Optional(Duration("Timeout of each query attempt (default 10s, at most 5m).")),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: "At most one of push or prometheus; push when absent." },
);

const sloSpecFields = {
  service: Name("Service the SLO belongs to."),
  description: Type.Optional(Type.String()),
  team: Type.Optional(Type.String({ description: "Owning team (who gets paged)." })),
  sli: SliSchema,
  objective: ObjectiveSchema,
  window: WindowSchema,
  budgeting: Type.Optional(BudgetingSchema),
  source: Type.Optional(SourceSchema),
  alerting: Type.Optional(AlertingSchema),
};

const ApiVersion = Type.Literal("nines/v1");

export const MetadataSchema = Type.Object(
  {
    name: Name("Name of the SLO, unique within its service."),
    labels: Type.Optional(LabelMap("Labels copied to every alert and series of this SLO.")),
    annotations: Type.Optional(StringMap("Free-form notes (runbook, dashboard…).")),
  },
  { additionalProperties: false },
);

export const SloDocumentSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("SLO"),
    metadata: MetadataSchema,
    spec: Type.Object(sloSpecFields, { additionalProperties: false }),
  },
  { additionalProperties: false, title: "SLO (metadata/spec form)" },
);

export const SloFlatDocumentSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("SLO"),
    name: Name("Name of the SLO, unique within its service."),
    labels: Type.Optional(LabelMap("Labels copied to every alert and series of this SLO.")),
    annotations: Type.Optional(StringMap("Free-form notes (runbook, dashboard…).")),
    ...sloSpecFields,
  },
  { additionalProperties: false, title: "SLO (flat form)" },
);

export const AlertPolicyDocumentSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("AlertPolicy"),
    metadata: Type.Object(
      { name: Name("Name SLOs use in alerting.policy."), annotations: Type.Optional(StringMap("Notes.")) },
      { additionalProperties: false },
    ),
    spec: Type.Object(
      {
        base: Type.Optional(
          Type.Union([Type.Literal("default"), Type.Literal("none")], {
            description:
              "default: start from the Workbook lines scaled to each SLO's window; none: only these lines.",
          }),
        ),
        missingDataAfter: Type.Optional(Duration("A no-data ticket after this long without samples.")),
        lines: AlertLines,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, title: "AlertPolicy" },
);

export type SloDocument = Static<typeof SloDocumentSchema>;
export type SloFlatDocument = Static<typeof SloFlatDocumentSchema>;
export type SloSpecInput = SloDocument["spec"];
export type AlertPolicyDocument = Static<typeof AlertPolicyDocumentSchema>;
export type AlertLineInput = Static<typeof AlertLineSchema>;
export type AlertingInput = Static<typeof AlertingSchema>;
export type PrometheusAuthInput = Static<typeof PrometheusAuthSchema>;
