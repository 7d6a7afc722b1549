import { type Static, Type } from "typebox";

const strict = { additionalProperties: false } as const;
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TicketStatusSchema = Type.Union(
  [Type.Literal("open"), Type.Literal("in-progress"), Type.Literal("done"), Type.Literal("wont-do")],
  { description: "open → in-progress → done or wont-do; a closed ticket can only be reopened." },
);
export const TicketPrioritySchema = Type.Union(
  [Type.Literal("p1"), Type.Literal("p2"), Type.Literal("p3"), Type.Literal("p4")],
  { description: "p1 is the most urgent." },
);
const Instant = Type.Integer({
  minimum: 0,
  maximum: 8_640_000_000_000_000,
  description: "Epoch milliseconds.",
});
const Name = Type.String({ minLength: 1, maxLength: 200 });

export const TicketSchema = Type.Object({
  id: Type.String(),
  team: nullable(Type.String()),
  service: Type.String(),
  title: Type.String(),
  description: Type.String(),
  priority: TicketPrioritySchema,
  status: TicketStatusSchema,
  assignee: nullable(Type.String()),
  dueAt: Type.Number(),
  overdue: Type.Boolean(),
  fingerprint: nullable(Type.String()),
  rule: nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  closedAt: nullable(Type.Number()),
  signalCount: Type.Integer(),
});

export const TicketCommentSchema = Type.Object({
  id: Type.Integer(),
  at: Type.Number(),
  author: Type.String(),
  kind: Type.Union([Type.Literal("comment"), Type.Literal("change")]),
  body: Type.String(),
});

export const TicketDetailSchema = Type.Object({
  ...TicketSchema.properties,
  comments: Type.Array(TicketCommentSchema),
  signals: Type.Array(
    Type.Object({ signalId: nullable(Type.String()), fingerprint: Type.String(), linkedAt: Type.Number() }),
  ),
});

export const TicketListQuery = Type.Object(
  {
    team: Type.Optional(Name),
    service: Type.Optional(Name),
    assignee: Type.Optional(Name),
    status: Type.Optional(
      Type.Union(
        ["open", "in-progress", "done", "wont-do", "active", "closed"].map((s) => Type.Literal(s)),
        {
          description: "One status, or active (open and in progress) or closed (done and won't do).",
        },
      ),
    ),
    overdue: Type.Optional(Type.Boolean({ description: "true: only active tickets past their due date." })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  },
  strict,
);

export const TicketParams = Type.Object(
  { id: Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "The ticket's number." }) },
  strict,
);

export const CreateTicketBody = Type.Object(
  {
    service: Name,
    title: Type.String({ minLength: 1, maxLength: 500 }),
    team: Type.Optional(Name),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    priority: Type.Optional(TicketPrioritySchema),
    dueAt: Type.Optional(Instant),
    assignee: Type.Optional(Name),
    fingerprint: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "Deduplication key: signals with it will link to this ticket while it is active.",
      }),
    ),
  },
  strict,
);

export const PatchTicketBody = Type.Object(
  {
    status: Type.Optional(TicketStatusSchema),
    assignee: Type.Optional(nullable(Name)),
    priority: Type.Optional(TicketPrioritySchema),
    dueAt: Type.Optional(Instant),
  },
  { ...strict, minProperties: 1 },
);

export const CommentBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) }, strict);

export type TicketDto = Static<typeof TicketSchema>;
export type TicketDetailDto = Static<typeof TicketDetailSchema>;
