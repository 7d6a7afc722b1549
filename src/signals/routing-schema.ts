import { type Static, Type } from "typebox";

const strict = { additionalProperties: false } as const;
const Duration = Type.Union([Type.String(), Type.Number({ minimum: 0 })], {
  description: 'A duration such as "30s", "5m", "1h30m", "7d", or milliseconds.',
});
const OutcomeSchema = Type.Union([Type.Literal("page"), Type.Literal("ticket"), Type.Literal("log")]);
const Matchers = Type.Array(Type.String(), {
  description: 'Label matchers: `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"`.',
});

const RouteSchema = Type.Cyclic(
  {
    Route: Type.Object(
      {
        name: Type.Optional(Type.String({ minLength: 1 })),
        matchers: Type.Optional(Matchers),
        classify: Type.Optional(OutcomeSchema),
        receiver: Type.Optional(Type.String({ minLength: 1 })),
        team: Type.Optional(Type.String({ minLength: 1 })),
        escalation: Type.Optional(Type.String({ minLength: 1, description: "Escalation policy id." })),
        declareIncident: Type.Optional(
          Type.String({
            description:
              "SEV1, SEV2, SEV3 or SEV4: every page this route (or a route below it) opens also declares an incident of this severity.",
          }),
        ),
        groupBy: Type.Optional(Type.Array(Type.String())),
        groupWait: Type.Optional(Duration),
        groupInterval: Type.Optional(Duration),
        repeatInterval: Type.Optional(Duration),
        continue: Type.Optional(Type.Boolean()),
        routes: Type.Optional(Type.Array(Type.Ref("Route"))),
      },
      strict,
    ),
  },
  "Route",
);

const settings = {
  inhibitRules: Type.Optional(
    Type.Array(
      Type.Object(
        {
          name: Type.Optional(Type.String()),
          sourceMatchers: Matchers,
          targetMatchers: Matchers,
          equal: Type.Optional(Type.Array(Type.String())),
        },
        strict,
      ),
    ),
  ),
  autoResolve: Type.Optional(
    Type.Object(
      {
        default: Type.Optional(Type.Union([Duration, Type.Literal("off")])),
        bySource: Type.Optional(Type.Record(Type.String(), Type.Union([Duration, Type.Literal("off")]))),
      },
      strict,
    ),
  ),
  maintenanceWindows: Type.Optional(
    Type.Array(
      Type.Object(
        {
          id: Type.Optional(Type.String()),
          service: Type.String({ minLength: 1 }),
          timeZone: Type.String({ minLength: 1 }),
          start: Type.String({ description: "Local start, YYYY-MM-DDTHH:MM." }),
          end: Type.String({ description: "Local end, YYYY-MM-DDTHH:MM." }),
          recurrence: Type.Optional(Type.Literal("weekly")),
          outcomes: Type.Optional(Type.Array(OutcomeSchema, { minItems: 1 })),
          comment: Type.Optional(Type.String()),
        },
        strict,
      ),
    ),
  ),
};

/**
 * The routing config as written in YAML or JSON. The tree works like Alertmanager's: a signal
 * descends into the first child whose matchers all match (and also into later siblings while the
 * matched child has `continue: true`); unset fields are inherited from the parent.
 */
export const RoutingConfigSchema = Type.Object({ route: RouteSchema, ...settings }, strict);

export type RoutingConfigInput = Static<typeof RoutingConfigSchema>;
