import { type Static, Type } from "typebox";
import { SignalInputSchema } from "./signal-input.js";

const strict = { additionalProperties: false } as const;
const Outcome = Type.Union([Type.Literal("page"), Type.Literal("ticket"), Type.Literal("log")]);
const Rule = Type.Object({
  path: Type.String({ description: 'Field path of the deciding route, e.g. "route.routes[0]".' }),
  name: Type.String(),
});
const Muted = Type.Union([
  Type.Object({
    reason: Type.String({ description: "silenced, inhibited or maintenance" }),
    by: Type.String({ description: "Id of the silence or window, or name of the inhibit rule." }),
  }),
  Type.Null(),
]);
const Link = Type.Object({ title: Type.Optional(Type.String()), url: Type.String() });
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** Documentation of `POST /api/v1/signals`: one signal, or up to 1,000 in `signals`. */
export const SignalsBody = Type.Union([
  SignalInputSchema,
  Type.Object({ signals: Type.Array(SignalInputSchema, { minItems: 1, maxItems: 1000 }) }, strict),
]);

export const IngestResultSchema = Type.Object({
  fingerprint: Type.String(),
  outcome: Outcome,
  rule: Rule,
  status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")]),
  duplicate: Type.Boolean({ description: "True when the fingerprint was already firing (deduplicated)." }),
  muted: Muted,
  pageId: NullableNumber,
  ticketId: NullableString,
});

export const IngestResponse = Type.Object({ results: Type.Array(IngestResultSchema) });

export const SignalSchema = Type.Object({
  fingerprint: Type.String(),
  source: Type.String(),
  service: Type.String(),
  team: NullableString,
  title: Type.String(),
  description: NullableString,
  severity: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  links: Type.Array(Link),
  startsAt: Type.Number(),
  endsAt: NullableNumber,
  status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")]),
  outcome: Outcome,
  rule: Rule,
  groupKey: NullableString,
  muted: Muted,
  firstSeenAt: Type.Number(),
  lastSeenAt: Type.Number(),
  received: Type.Integer({ description: "Receipts of this fingerprint in the current firing episode." }),
  resolvedAt: NullableNumber,
  pageId: NullableNumber,
  ticketId: NullableString,
});

export const SignalsQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal("firing"), Type.Literal("resolved")])),
    outcome: Type.Optional(Outcome),
    service: Type.Optional(Type.String()),
    source: Type.Optional(Type.String()),
    team: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  strict,
);

export const SignalDetailSchema = Type.Object({
  signal: SignalSchema,
  classification: Type.Object({
    outcome: Outcome,
    rule: Rule,
    groupKey: NullableString,
    muted: Muted,
  }),
  events: Type.Array(
    Type.Object({
      id: Type.Number(),
      receivedAt: Type.Number(),
      severity: Type.String(),
      labels: Type.Record(Type.String(), Type.String()),
      startsAt: Type.Number(),
      endsAt: NullableNumber,
      outcome: Type.String(),
      rule: Rule,
      groupKey: NullableString,
      muted: Muted,
    }),
  ),
});

export const RoutingResponse = Type.Object({
  version: Type.Integer({ description: "0 while the built-in default is in force." }),
  updatedAt: NullableNumber,
  updatedBy: NullableString,
  config: Type.Unknown({ description: "The routing config as submitted (see docs/signals.md)." }),
});

export const RouteTestBody = Type.Object(
  { labels: Type.Record(Type.String(), Type.String(), { description: "Labels to classify." }) },
  strict,
);

const RouteSummary = Type.Object({
  path: Type.String(),
  name: Type.String(),
  outcome: Outcome,
  receiver: NullableString,
  team: NullableString,
  escalation: NullableString,
  groupBy: Type.Array(Type.String()),
});

export const RouteTestResponse = Type.Object({
  labels: Type.Record(Type.String(), Type.String()),
  outcome: Outcome,
  rule: Rule,
  receiver: NullableString,
  team: NullableString,
  escalation: NullableString,
  matches: Type.Array(RouteSummary),
});

export const PageSchema = Type.Object({
  id: Type.Integer(),
  fingerprint: Type.String(),
  source: Type.String(),
  service: Type.String(),
  team: NullableString,
  title: Type.String(),
  description: NullableString,
  severity: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  links: Type.Array(Link),
  status: Type.Union([Type.Literal("triggered"), Type.Literal("acknowledged"), Type.Literal("resolved")]),
  createdAt: Type.Number(),
  ackedAt: NullableNumber,
  ackedBy: NullableString,
  resolvedAt: NullableNumber,
  resolvedBy: NullableString,
  escalationPolicyId: NullableString,
  route: Rule,
  receiver: NullableString,
  escalationNextAt: NullableNumber,
  actionable: Type.Union([Type.Boolean(), Type.Null()]),
  actionableReason: NullableString,
  reviewedBy: NullableString,
});
export type PageView = Static<typeof PageSchema>;

const PageStatus = Type.Union([
  Type.Literal("triggered"),
  Type.Literal("acknowledged"),
  Type.Literal("resolved"),
  Type.Literal("open"),
]);

export const PagesQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([PageStatus, Type.Array(PageStatus)], {
        description: "triggered, acknowledged, resolved, or open (triggered + acknowledged); repeatable.",
      }),
    ),
    service: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  strict,
);

export const PageParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, strict);

export const PageLinkQuery = Type.Object(
  {
    expires: Type.Integer({ description: "Epoch ms after which the link is refused." }),
    sig: Type.String({ description: "HMAC-SHA256 (hex) of page id, action, expiry and person." }),
    by: Type.Optional(Type.String({ description: "The person the link was sent to." })),
  },
  strict,
);

export const ActionableBody = Type.Object(
  {
    actionable: Type.Boolean(),
    reason: Type.Optional(Type.String({ maxLength: 500, description: "Why (not) actionable." })),
  },
  strict,
);

export const ActionabilityQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 90 })) },
  strict,
);

export const ActionabilityResponse = Type.Object({
  pages: Type.Integer(),
  nonActionable: Type.Integer(),
  nonActionableShare: Type.Number(),
  byAlert: Type.Array(
    Type.Object({
      alert: Type.String(),
      pages: Type.Integer(),
      nonActionable: Type.Integer(),
      nonActionableShare: Type.Number(),
      reasons: Type.Record(Type.String(), Type.Integer()),
    }),
  ),
});
