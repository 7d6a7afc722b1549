import { type Static, Type } from "typebox";
import { EscalationPolicySchema } from "./escalation-schema.js";
import { ScheduleSchema } from "./schedule-schema.js";

const strict = { additionalProperties: false } as const;

/** Ids of people, teams, services, schedules and policies: safe in URLs, YAML and calendar UIDs. */
export const ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$";
export const Id = Type.String({
  pattern: ID_PATTERN,
  description: "Letters, digits, `.`, `_`, `:` and `-`; at most 100 characters.",
});

export const ContactSchema = Type.Object(
  {
    kind: Type.Union([
      Type.Literal("email"),
      Type.Literal("sms"),
      Type.Literal("phone"),
      Type.Literal("push"),
      Type.Literal("chat"),
      Type.Literal("webhook"),
    ]),
    address: Type.String({ minLength: 1, maxLength: 500 }),
  },
  strict,
);

export const PersonSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    contacts: Type.Optional(Type.Array(ContactSchema, { maxItems: 20 })),
    timeZone: Type.Optional(
      Type.String({ minLength: 1, description: "IANA zone the person lives in, for display." }),
    ),
  },
  strict,
);

export const TeamSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    members: Type.Optional(Type.Array(Id, { description: "Person ids." })),
    scheduleIds: Type.Optional(
      Type.Array(Id, { description: "Schedules whose on-call answers the team's pages." }),
    ),
    escalationPolicyId: Type.Optional(Id),
  },
  strict,
);

export const ServiceSchema = Type.Object(
  {
    id: Type.Optional(Id),
    name: Type.String({ minLength: 1, maxLength: 200, description: "The `service` label of signals." }),
    teamId: Id,
  },
  strict,
);

/**
 * The whole on-call setup as one document (YAML or JSON), kept in Git and applied with
 * `nines oncall apply -f oncall.yaml`. Schedules and escalation policies are checked by their own
 * validators (`scheduleErrors`, `escalationPolicyErrors`), so their items are open here.
 */
export const OncallConfigSchema = Type.Object(
  {
    people: Type.Optional(Type.Array(PersonSchema)),
    teams: Type.Optional(Type.Array(TeamSchema)),
    services: Type.Optional(Type.Array(ServiceSchema)),
    schedules: Type.Optional(Type.Array(Type.Unknown())),
    escalationPolicies: Type.Optional(Type.Array(Type.Unknown())),
  },
  strict,
);

export type PersonInput = Static<typeof PersonSchema>;
export type TeamInput = Static<typeof TeamSchema>;
export type ServiceInput = Static<typeof ServiceSchema>;

// Responses.
export const PersonDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  contacts: Type.Array(ContactSchema),
  timeZone: Type.Optional(Type.String()),
});
export const TeamDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  members: Type.Array(Type.String()),
  scheduleIds: Type.Array(Type.String()),
  escalationPolicyId: Type.Optional(Type.String()),
});
export const ServiceDto = Type.Object({ id: Type.String(), name: Type.String(), teamId: Type.String() });
export const ScheduleDto = ScheduleSchema;
export const EscalationPolicyDto = EscalationPolicySchema;

export const OverrideDto = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  start: Type.Number(),
  end: Type.Number(),
  reason: Type.Optional(Type.String()),
});

/** An instant as epoch milliseconds or an ISO 8601 date-time with an offset. */
export const Instant = Type.Union([Type.Number(), Type.String({ minLength: 1 })], {
  description: "Epoch milliseconds or ISO 8601 (`2026-03-29T09:00:00+02:00`).",
});
/** The same in a query string, where everything arrives as text. */
export const InstantQuery = Type.String({
  minLength: 1,
  description: "Epoch milliseconds or ISO 8601 (`2026-03-29T09:00:00Z`).",
});

export const OverrideBody = Type.Object(
  {
    id: Type.Optional(Id),
    personId: Id,
    start: Instant,
    end: Instant,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
export const TakeOverBody = Type.Object(
  {
    personId: Type.String({ minLength: 1, description: "The person taking the shift (the caller)." }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);

const Contact = ContactSchema;
const PersonRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  contacts: Type.Array(Contact),
  timeZone: Type.Optional(Type.String()),
});

export const OnCallEntryDto = Type.Object({
  team: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  schedule: Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }),
  personId: Type.Union([Type.String(), Type.Null()]),
  person: Type.Union([PersonRef, Type.Null()]),
  layer: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  override: Type.Boolean(),
  since: Type.Number({ description: "Start of the shift under way (looked for up to 31 days back)." }),
  until: Type.Number({ description: "End of the shift under way (looked for up to 62 days ahead)." }),
  next: Type.Union([
    Type.Object({ personId: Type.String(), name: Type.String(), start: Type.Number() }),
    Type.Null(),
  ]),
});
export const OnCallNowDto = Type.Object({ at: Type.Number(), entries: Type.Array(OnCallEntryDto) });

const Span = Type.Object({ start: Type.Number(), end: Type.Number(), personId: Type.String() });
export const ShiftsDto = Type.Object({
  schedule: Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }),
  from: Type.Number(),
  to: Type.Number(),
  layers: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String(), spans: Type.Array(Span) }),
  ),
  overrides: Type.Array(OverrideDto),
  shifts: Type.Array(
    Type.Object({
      start: Type.Number(),
      end: Type.Number(),
      personId: Type.Union([Type.String(), Type.Null()]),
      layerId: Type.Union([Type.String(), Type.Null()]),
      override: Type.Boolean(),
    }),
  ),
  people: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
export const CheckDto = Type.Object({
  from: Type.Number(),
  weeks: Type.Number(),
  tolerance: Type.Number(),
  ok: Type.Boolean(),
  gaps: Type.Array(Type.Object({ start: Type.Number(), end: Type.Number() })),
  hoursByPerson: Type.Record(Type.String(), Type.Number()),
  imbalances: Type.Array(
    Type.Object({
      personId: Type.String(),
      hours: Type.Number(),
      meanHours: Type.Number(),
      deviation: Type.Number(),
    }),
  ),
});
export const ApplyResultDto = Type.Object({
  dryRun: Type.Boolean(),
  results: Type.Array(
    Type.Object({
      kind: Type.String(),
      id: Type.String(),
      outcome: Type.Union([
        Type.Literal("created"),
        Type.Literal("updated"),
        Type.Literal("unchanged"),
        Type.Literal("deleted"),
      ]),
    }),
  ),
});

export type OnCallNow = Static<typeof OnCallNowDto>;
export type OnCallEntry = Static<typeof OnCallEntryDto>;
export type ShiftsView = Static<typeof ShiftsDto>;
export type CheckView = Static<typeof CheckDto>;
export type ApplyResult = Static<typeof ApplyResultDto>;
