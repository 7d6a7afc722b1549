import { type Static, Type } from "typebox";

const strict = { additionalProperties: false } as const;
const Instant = Type.Integer({
  minimum: 0,
  maximum: 8_640_000_000_000_000,
  description: "Epoch milliseconds.",
});

export const LogQuerySchema = Type.Object(
  {
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    match: Type.Optional(
      Type.Array(Type.String({ maxLength: 1000 }), {
        maxItems: 20,
        description: 'Label matchers, repeatable: match=env="prod"&match=severity!="info".',
      }),
    ),
    q: Type.Optional(
      Type.String({
        maxLength: 500,
        description: "Words that must each appear in the title, text or labels.",
      }),
    ),
    from: Type.Optional({ ...Instant, description: "Inclusive, epoch ms." }),
    to: Type.Optional({ ...Instant, description: "Exclusive, epoch ms." }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(
      Type.String({ maxLength: 100, description: "nextCursor of the previous page, for older entries." }),
    ),
  },
  strict,
);

export const LogEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Number(),
  source: Type.String(),
  service: Type.String(),
  title: Type.String(),
  text: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  fingerprint: Type.Union([Type.String(), Type.Null()]),
  rule: Type.Union([Type.String(), Type.Null()]),
});

export const LogPageSchema = Type.Object({
  entries: Type.Array(LogEntrySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  scanned: Type.Integer({ description: "Rows read to answer." }),
});

export type LogEntryDto = Static<typeof LogEntrySchema>;
export type LogPageDto = Static<typeof LogPageSchema>;
