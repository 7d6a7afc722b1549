import { type Static, Type } from "typebox";

const strict = { additionalProperties: false } as const;
const Instant = Type.Integer({
  minimum: 0,
  maximum: 8_640_000_000_000_000,
  description: "Epoch milliseconds.",
});

export const SilenceStateSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("active"),
  Type.Literal("expired"),
]);

export const SilenceSchema = Type.Object({
  id: Type.String(),
  matchers: Type.Array(Type.String(), {
    description: 'As text: name="value", name!="value", name=~"re", name!~"re".',
  }),
  startsAt: Type.Number(),
  endsAt: Type.Number(),
  createdBy: Type.String(),
  comment: Type.String(),
  state: SilenceStateSchema,
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});

export const CreateSilenceBody = Type.Object(
  {
    matchers: Type.Array(Type.String({ maxLength: 1000 }), {
      maxItems: 50,
      description:
        'Alertmanager matchers: service="db", severity!="info", env=~"prod|staging". At least one.',
    }),
    startsAt: Type.Optional({ ...Instant, description: "Defaults to now." }),
    endsAt: Type.Optional({ ...Instant, description: "Give endsAt or duration." }),
    duration: Type.Optional(
      Type.String({ pattern: "^([0-9]+(ms|s|m|h|d|w))+$", description: "From startsAt: 30m, 2h, 1d12h." }),
    ),
    comment: Type.String({ maxLength: 2000, description: "Why; required." }),
  },
  strict,
);

export const SilenceListQuery = Type.Object(
  {
    state: Type.Optional(SilenceStateSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  },
  strict,
);

export const SilenceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, strict);

export type SilenceDto = Static<typeof SilenceSchema>;
