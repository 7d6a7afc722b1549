/** TypeBox schemas of the OpenSLO v1 documents nines reads (unknown fields are errors). */
import { type Static, Type } from "typebox";
import { NAME_PATTERN } from "./native-schema.js";

const ApiVersion = Type.Literal("openslo/v1");

const Metadata = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    displayName: Type.Optional(Type.String()),
    labels: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

const MetricSpec = Type.Object(
  {
    metricSource: Type.Object(
      {
        metricSourceRef: Type.Optional(Type.String({ minLength: 1 })),
        type: Type.Optional(Type.String({ minLength: 1 })),
        spec: Type.Record(Type.String(), Type.Unknown()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const OpenSloSliSpecSchema = Type.Object(
  {
    description: Type.Optional(Type.String()),
    thresholdMetric: Type.Optional(MetricSpec),
    ratioMetric: Type.Optional(
      Type.Object(
        {
          counter: Type.Boolean(),
          good: Type.Optional(MetricSpec),
          bad: Type.Optional(MetricSpec),
          total: Type.Optional(MetricSpec),
          rawType: Type.Optional(Type.Unknown()),
          raw: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const TimeWindow = Type.Object(
  {
    duration: Type.String({ minLength: 1 }),
    isRolling: Type.Boolean(),
    calendar: Type.Optional(
      Type.Object(
        { startTime: Type.Optional(Type.String()), timeZone: Type.Optional(Type.String({ minLength: 1 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Objective = Type.Object(
  {
    displayName: Type.Optional(Type.String()),
    op: Type.Optional(
      Type.Union([Type.Literal("lte"), Type.Literal("gte"), Type.Literal("lt"), Type.Literal("gt")]),
    ),
    value: Type.Optional(Type.Number()),
    target: Type.Optional(Type.Number()),
    targetPercent: Type.Optional(Type.Number()),
    timeSliceTarget: Type.Optional(Type.Number()),
    timeSliceWindow: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    indicator: Type.Optional(Type.Unknown()),
    indicatorRef: Type.Optional(Type.Unknown()),
    compositeWeight: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const OpenSloSloSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("SLO"),
    metadata: Metadata,
    spec: Type.Object(
      {
        description: Type.Optional(Type.String()),
        service: Type.String({ pattern: NAME_PATTERN }),
        indicator: Type.Optional(
          Type.Object({ metadata: Metadata, spec: OpenSloSliSpecSchema }, { additionalProperties: false }),
        ),
        indicatorRef: Type.Optional(Type.String({ minLength: 1 })),
        timeWindow: Type.Array(TimeWindow, { minItems: 1 }),
        budgetingMethod: Type.Union([
          Type.Literal("Occurrences"),
          Type.Literal("Timeslices"),
          Type.Literal("RatioTimeslices"),
        ]),
        objectives: Type.Array(Objective, { minItems: 1 }),
        alertPolicies: Type.Optional(Type.Unknown()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const OpenSloSliSchema = Type.Object(
  { apiVersion: ApiVersion, kind: Type.Literal("SLI"), metadata: Metadata, spec: OpenSloSliSpecSchema },
  { additionalProperties: false },
);

export const OpenSloDataSourceSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("DataSource"),
    metadata: Metadata,
    spec: Type.Object(
      {
        description: Type.Optional(Type.String()),
        type: Type.String({ minLength: 1 }),
        connectionDetails: Type.Record(Type.String(), Type.Unknown()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const OpenSloServiceSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("Service"),
    metadata: Metadata,
    spec: Type.Object({ description: Type.Optional(Type.String()) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export type OpenSloSlo = Static<typeof OpenSloSloSchema>;
export type OpenSloSliSpec = Static<typeof OpenSloSliSpecSchema>;
export type OpenSloSli = Static<typeof OpenSloSliSchema>;
export type OpenSloDataSource = Static<typeof OpenSloDataSourceSchema>;
export type OpenSloMetric = NonNullable<OpenSloSliSpec["thresholdMetric"]>;
export type OpenSloObjective = OpenSloSlo["spec"]["objectives"][number];
