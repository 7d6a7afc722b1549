import { type Static, Type } from "typebox";
import { RECEIVER_NAME_PATTERN, RECEIVER_TYPES } from "./receivers.js";

const strict = { additionalProperties: false } as const;

export const ReceiverTypeSchema = Type.Union(
  [
    Type.Literal("webhook"),
    Type.Literal("slack"),
    Type.Literal("pagerduty"),
    Type.Literal("alertmanager"),
    Type.Literal("email"),
  ],
  { description: RECEIVER_TYPES.join(", ") },
);

const ConfigObject = Type.Record(Type.String(), Type.Unknown(), {
  description: "Type-specific settings (see docs/notifications.md); secrets are masked when read.",
});

export const ReceiverSchema = Type.Object({
  name: Type.String(),
  type: ReceiverTypeSchema,
  description: Type.Optional(Type.String()),
  config: ConfigObject,
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  updatedBy: Type.String(),
});
export type ReceiverView = Static<typeof ReceiverSchema>;

export const ReceiverCreateBody = Type.Object(
  {
    name: Type.String({
      pattern: RECEIVER_NAME_PATTERN,
      description: "Unique name routing rules use (lower case, digits, . _ -).",
    }),
    type: ReceiverTypeSchema,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    config: ConfigObject,
  },
  strict,
);

export const ReceiverUpdateBody = Type.Object(
  {
    type: ReceiverTypeSchema,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    config: ConfigObject,
  },
  strict,
);

export const ReceiverParams = Type.Object({ name: Type.String({ pattern: RECEIVER_NAME_PATTERN }) }, strict);

const MessageSchema = Type.Object({
  event: Type.String(),
  subject: Type.Object({ kind: Type.String(), id: Type.String() }),
  title: Type.String(),
  summary: Type.String(),
  service: Type.String(),
  team: Type.Optional(Type.String()),
  severity: Type.String(),
  outcome: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  links: Type.Array(Type.Object({ title: Type.Optional(Type.String()), url: Type.String() })),
  startsAt: Type.Number(),
  endsAt: Type.Optional(Type.Number()),
  actions: Type.Optional(
    Type.Object({ acknowledgeUrl: Type.Optional(Type.String()), resolveUrl: Type.Optional(Type.String()) }),
  ),
});

const StatusSchema = Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]);

export const NotificationSchema = Type.Object({
  id: Type.Number(),
  dedupKey: Type.String(),
  target: Type.Object({
    type: Type.String(),
    receiverId: Type.Optional(Type.String()),
    personId: Type.Optional(Type.String()),
  }),
  message: MessageSchema,
  status: StatusSchema,
  attempts: Type.Integer({ description: "Rounds of attempts made so far." }),
  createdAt: Type.Number(),
  nextAttemptAt: Type.Number({ description: "When a pending notification is tried next." }),
  deliveredAt: Type.Optional(Type.Number()),
  failedAt: Type.Optional(Type.Number()),
  lastError: Type.Optional(Type.String()),
  progress: Type.Array(Type.String(), { description: "Contacts of a person already reached." }),
});

export const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  at: Type.Number(),
  receiver: Type.String({ description: "Receiver name, or person and contact." }),
  outcome: Type.String({ description: "success, retry, failed or skipped" }),
  statusCode: Type.Optional(Type.Integer({ description: "HTTP status or SMTP reply code." })),
  error: Type.Optional(Type.String()),
  durationMs: Type.Number(),
});

export const NotificationDetailSchema = Type.Object({
  ...NotificationSchema.properties,
  attemptLog: Type.Array(AttemptSchema),
});

export const NotificationsQuery = Type.Object(
  {
    subject: Type.Optional(
      Type.String({ maxLength: 200, description: '"page", or "page:42" for one subject.' }),
    ),
    status: Type.Optional(StatusSchema),
    receiver: Type.Optional(Type.String({ maxLength: 200, description: "Receiver name or person id." })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: "Only ids below this (paging)." })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  strict,
);

export const NotificationParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, strict);

export const TestNotificationBody = Type.Object(
  {
    receiver: Type.String({ pattern: RECEIVER_NAME_PATTERN, description: "Receiver to send to." }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    event: Type.Optional(
      Type.Union([Type.Literal("trigger"), Type.Literal("acknowledge"), Type.Literal("resolve")], {
        default: "trigger",
      }),
    ),
  },
  strict,
);

export const TestNotificationResponse = Type.Object({
  count: Type.Integer(),
  subject: Type.String({
    description:
      'The test notifications\' subject, e.g. "signal:test-3f2a…": filter GET /api/v1/notifications with it.',
  }),
});
