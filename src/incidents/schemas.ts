import { type Static, Type } from "typebox";

const UtcMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: "UTC milliseconds" });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Line = Type.String({
  maxLength: 2000,
  pattern: "^[^\\r\\n]*$",
  patternMessage: "must be a single line",
});
const Text = Type.String({ maxLength: 100_000 });
const HttpUrl = Type.String({
  pattern: "^https?://[^\\s/?#]+[^\\s]*$",
  patternMessage: "must be an http or https URL",
  maxLength: 2000,
});

export const SeveritySchema = Type.Enum(["SEV1", "SEV2", "SEV3", "SEV4"]);

/** Body of "declare an incident". */
export const IncidentInputSchema = Type.Object(
  {
    id: Name,
    title: Type.String({
      minLength: 1,
      maxLength: 300,
      pattern: "^[^\\r\\n]*$",
      patternMessage: "must be a single line",
    }),
    severity: SeveritySchema,
    openedAt: UtcMs,
    openedBy: Name,
    impactStartedAt: Type.Optional(UtcMs),
    detection: Type.Object(
      {
        source: Type.Enum(["page", "person", "budget-burn"]),
        at: UtcMs,
        ref: Type.Optional(Name),
      },
      { additionalProperties: false },
    ),
    services: Type.Array(Name, { minItems: 1 }),
    slos: Type.Optional(Type.Array(Name)),
    customerImpact: Type.Optional(
      Type.Object(
        {
          userVisible: Type.Optional(Type.Boolean()),
          userVisibleDurationMs: Type.Optional(Type.Integer({ minimum: 0 })),
          dataLoss: Type.Optional(Type.Boolean()),
          usersAffected: Type.Optional(Type.Integer({ minimum: 0 })),
          description: Type.Optional(Text),
        },
        { additionalProperties: false },
      ),
    ),
    causeTags: Type.Optional(Type.Array(Name)),
  },
  { additionalProperties: false },
);
export type IncidentInput = Static<typeof IncidentInputSchema>;

/** Body of "add an action item" (the postmortem id comes from the route). */
export const ActionItemInputSchema = Type.Object(
  {
    id: Name,
    description: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: "^[^\\r\\n]*$",
      patternMessage: "must be a single line",
    }),
    type: Type.Enum(["mitigate", "prevent", "detect", "process"]),
    owner: Name,
    priority: Type.Enum(["P0", "P1", "P2", "P3"]),
    dueAt: UtcMs,
    status: Type.Enum(["open", "in-progress", "done", "wont-do"]),
    issueUrl: Type.Optional(HttpUrl),
    service: Type.Optional(Name),
    team: Type.Optional(Name),
  },
  { additionalProperties: false },
);
export type ActionItemInput = Static<typeof ActionItemInputSchema>;

/** Body of "start a postmortem". */
export const PostmortemInputSchema = Type.Object(
  {
    id: Name,
    incidentId: Name,
    title: Type.String({
      minLength: 1,
      maxLength: 300,
      pattern: "^[^\\r\\n]*$",
      patternMessage: "must be a single line",
    }),
    authors: Type.Array(Name, { minItems: 1 }),
    createdAt: UtcMs,
    services: Type.Optional(Type.Array(Name)),
    causeTags: Type.Optional(Type.Array(Name)),
  },
  { additionalProperties: false },
);
export type PostmortemInput = Static<typeof PostmortemInputSchema>;

/** Body of "edit a draft postmortem": every template part is optional. */
export const PostmortemEditSchema = Type.Object(
  {
    title: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        pattern: "^[^\\r\\n]*$",
        patternMessage: "must be a single line",
      }),
    ),
    summary: Type.Optional(Text),
    impact: Type.Optional(
      Type.Object(
        {
          users: Line,
          durationMs: Type.Integer({ minimum: 0 }),
          budgetConsumed: Type.Number({ minimum: 0 }),
          description: Text,
        },
        { additionalProperties: false },
      ),
    ),
    rootCauses: Type.Optional(Text),
    trigger: Type.Optional(Text),
    detection: Type.Optional(Text),
    resolution: Type.Optional(Text),
    actionItems: Type.Optional(
      Type.Array(Type.Intersect([ActionItemInputSchema, Type.Object({ postmortemId: Type.Optional(Name) })])),
    ),
    lessons: Type.Optional(
      Type.Object(
        { wentWell: Type.Array(Line), wentWrong: Type.Array(Line), gotLucky: Type.Array(Line) },
        { additionalProperties: false },
      ),
    ),
    timeline: Type.Optional(
      Type.Array(Type.Object({ at: UtcMs, text: Line }, { additionalProperties: false })),
    ),
    links: Type.Optional(
      Type.Array(Type.Object({ title: Line, url: HttpUrl }, { additionalProperties: false })),
    ),
    extraSections: Type.Optional(
      Type.Array(Type.Object({ heading: Type.String({ minLength: 1, maxLength: 300 }), body: Text })),
    ),
    services: Type.Optional(Type.Array(Name)),
    causeTags: Type.Optional(Type.Array(Name)),
  },
  { additionalProperties: false },
);
export type PostmortemEditInput = Static<typeof PostmortemEditSchema>;

/** Body of "change an incident's status" (the time and actor come from the server). */
export const IncidentStatusChangeSchema = Type.Object(
  {
    to: Type.Enum(["investigating", "identified", "mitigated", "resolved"]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type IncidentStatusChangeInput = Static<typeof IncidentStatusChangeSchema>;

/** Body of "assign an incident role"; `person: null` unassigns it. */
export const RoleChangeSchema = Type.Object(
  {
    role: Type.Enum(["commander", "communications", "operations", "scribe"]),
    person: Type.Union([Name, Type.Null()]),
  },
  { additionalProperties: false },
);
export type RoleChangeInput = Static<typeof RoleChangeSchema>;

/** Body of "record an intervention" (rollback, traffic reroute, other manual change). */
export const InterventionInputSchema = Type.Object(
  {
    kind: Type.Enum(["rollback", "traffic-reroute", "manual"]),
    at: UtcMs,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type InterventionInput = Static<typeof InterventionInputSchema>;

/** Body of "submit a postmortem for review". */
export const ReviewSubmitSchema = Type.Object(
  { reviewers: Type.Array(Name, { minItems: 1 }) },
  { additionalProperties: false },
);
export type ReviewSubmitInput = Static<typeof ReviewSubmitSchema>;

/** Body of "comment on a postmortem" or "request changes". */
export const ReviewCommentSchema = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    section: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type ReviewCommentInput = Static<typeof ReviewCommentSchema>;
