import { type Static, Type } from "typebox";
import { ActionItemInputSchema, PostmortemEditSchema } from "./schemas.js";

const strict = { additionalProperties: false } as const;
const UtcMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: "UTC milliseconds" });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Title = Type.String({
  minLength: 1,
  maxLength: 300,
  pattern: "^[^\\r\\n]*$",
  patternMessage: "must be a single line",
});
const Severity = Type.Enum(["SEV1", "SEV2", "SEV3", "SEV4"]);
const Status = Type.Enum(["investigating", "identified", "mitigated", "resolved"]);
const HttpUrl = Type.String({
  pattern: "^https?://[^\\s/?#]+[^\\s]*$",
  patternMessage: "must be an http or https URL",
  maxLength: 2000,
});

const CustomerImpactInput = Type.Object(
  {
    userVisible: Type.Optional(Type.Boolean()),
    userVisibleDurationMs: Type.Optional(Type.Integer({ minimum: 0 })),
    dataLoss: Type.Optional(Type.Boolean()),
    usersAffected: Type.Optional(Type.Integer({ minimum: 0 })),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  strict,
);

export const IncidentParams = Type.Object(
  { id: Type.String({ pattern: "^(?:inc-)?[1-9][0-9]{0,14}$", description: "Incident id, e.g. inc-12" }) },
  strict,
);
export const PostmortemParams = Type.Object(
  { id: Type.String({ pattern: "^(?:pm-)?[1-9][0-9]{0,14}$", description: "Postmortem id, e.g. pm-3" }) },
  strict,
);
export const ActionItemParams = Type.Object(
  { id: Type.String({ pattern: "^(?:ai-)?[1-9][0-9]{0,14}$", description: "Action item id, e.g. ai-7" }) },
  strict,
);

export const DeclareIncidentBody = Type.Object(
  {
    title: Title,
    severity: Severity,
    services: Type.Array(Name, { minItems: 1, maxItems: 50 }),
    slos: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 401 }), {
        maxItems: 100,
        description: "Affected SLO ids (service/name); default: every SLO of the affected services",
      }),
    ),
    customerImpact: Type.Optional(CustomerImpactInput),
    causeTags: Type.Optional(Type.Array(Name, { maxItems: 50 })),
    impactStartedAt: Type.Optional(UtcMs),
    detectedAt: Type.Optional(UtcMs),
    fromPageId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 400, description: "Declare from this page" }),
    ),
    pageIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 400 }), { maxItems: 100 })),
    commander: Type.Optional(Name),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
  },
  strict,
);
export type DeclareIncidentInput = Static<typeof DeclareIncidentBody>;

export const IncidentListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(["investigating", "identified", "mitigated", "resolved", "open"])),
    service: Type.Optional(Name),
    severity: Type.Optional(Severity),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  strict,
);

export const PatchIncidentBody = Type.Object(
  {
    title: Type.Optional(Title),
    severity: Type.Optional(Severity),
    status: Type.Optional(Status),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
    roles: Type.Optional(
      Type.Object(
        {
          commander: Type.Optional(Type.Union([Name, Type.Null()])),
          communications: Type.Optional(Type.Union([Name, Type.Null()])),
          operations: Type.Optional(Type.Union([Name, Type.Null()])),
          scribe: Type.Optional(Type.Union([Name, Type.Null()])),
        },
        { ...strict, description: "Role → person; null leaves the role empty" },
      ),
    ),
    services: Type.Optional(Type.Array(Name, { minItems: 1, maxItems: 50 })),
    slos: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 401 }), { maxItems: 100 })),
    customerImpact: Type.Optional(CustomerImpactInput),
    causeTags: Type.Optional(Type.Array(Name, { maxItems: 50 })),
    pageIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 400 }), { maxItems: 100 })),
  },
  { ...strict, minProperties: 1 },
);
export type PatchIncidentInput = Static<typeof PatchIncidentBody>;

export const NoteBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    at: Type.Optional(UtcMs),
  },
  strict,
);

export const ResolveBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })) },
  strict,
);

export const InterventionBody = Type.Object(
  {
    kind: Type.Enum(["rollback", "traffic-reroute", "manual"]),
    at: Type.Optional(UtcMs),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  strict,
);

const Trigger = Type.Object({ ruleId: Type.String(), reason: Type.String() });

const ActionItemSchema = Type.Object({
  id: Type.String(),
  postmortemId: Type.String(),
  description: Type.String(),
  type: Type.String(),
  owner: Type.String(),
  priority: Type.String(),
  dueAt: Type.Number(),
  status: Type.String(),
  issueUrl: Type.Optional(Type.String()),
  service: Type.Optional(Type.String()),
  team: Type.Optional(Type.String()),
});

export { ActionItemSchema };

const TimelineEventSchema = Type.Object({
  at: Type.Number(),
  kind: Type.String(),
  text: Type.String(),
  actor: Type.Optional(Type.String()),
  ref: Type.Optional(Type.String()),
});

export const IncidentSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  severity: Type.String(),
  status: Type.String(),
  source: Type.String({ description: "manual, page or detector" }),
  declaredBy: Type.String(),
  declaredAt: Type.Number(),
  detectedAt: Type.Number(),
  detectionRef: Type.Optional(Type.String()),
  impactStartedAt: Type.Optional(Type.Number()),
  mitigatedAt: Type.Optional(Type.Number()),
  resolvedAt: Type.Optional(Type.Number()),
  updatedAt: Type.Number(),
  services: Type.Array(Type.String()),
  slos: Type.Array(Type.String()),
  customerImpact: Type.Object({
    userVisible: Type.Boolean(),
    userVisibleDurationMs: Type.Number(),
    dataLoss: Type.Boolean(),
    usersAffected: Type.Optional(Type.Number()),
    description: Type.String(),
  }),
  roles: Type.Record(Type.String(), Type.String(), { description: "Current holder of each held role" }),
  roleHistory: Type.Array(
    Type.Object({
      role: Type.String(),
      person: Type.String(),
      assignedAt: Type.Number(),
      assignedBy: Type.String(),
      unassignedAt: Type.Optional(Type.Number()),
      unassignedBy: Type.Optional(Type.String()),
    }),
  ),
  statusHistory: Type.Array(
    Type.Object({
      from: Type.Union([Type.String(), Type.Null()]),
      to: Type.String(),
      at: Type.Number(),
      by: Type.String(),
      note: Type.Optional(Type.String()),
    }),
  ),
  interventions: Type.Array(
    Type.Object({
      kind: Type.String(),
      at: Type.Number(),
      by: Type.Optional(Type.String()),
      note: Type.Optional(Type.String()),
    }),
  ),
  budgetConsumed: Type.Array(Type.Object({ sloId: Type.String(), fraction: Type.Number() })),
  causeTags: Type.Array(Type.String()),
  pageIds: Type.Array(Type.String()),
  relatedPostmortems: Type.Array(
    Type.Object({
      postmortemId: Type.String(),
      incidentId: Type.String(),
      title: Type.String(),
      matchedTags: Type.Array(Type.String()),
      textSimilarity: Type.Number(),
      openActionItems: Type.Optional(Type.Array(ActionItemSchema)),
    }),
  ),
  postmortemRequirement: Type.Union([
    Type.Object({
      required: Type.Boolean(),
      triggers: Type.Array(Trigger),
      dueAt: Type.Optional(Type.Number()),
    }),
    Type.Null(),
  ]),
  postmortem: Type.Union([Type.Object({ id: Type.String(), status: Type.String() }), Type.Null()]),
});
export type IncidentView = Static<typeof IncidentSchema>;

export const IncidentDetailSchema = Type.Object({
  incident: IncidentSchema,
  timeline: Type.Array(TimelineEventSchema),
});

const ReviewCommentSchema = Type.Object({
  id: Type.String(),
  author: Type.String(),
  at: Type.Number(),
  kind: Type.String(),
  text: Type.String(),
  section: Type.Optional(Type.String()),
  quote: Type.Optional(Type.String()),
  start: Type.Optional(Type.Number()),
  end: Type.Optional(Type.Number()),
});

export const PostmortemSchema = Type.Object({
  id: Type.String(),
  incidentId: Type.String(),
  title: Type.String(),
  status: Type.String(),
  authors: Type.Array(Type.String()),
  reviewers: Type.Array(Type.Object({ name: Type.String(), decision: Type.String() })),
  comments: Type.Array(ReviewCommentSchema),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  publishedAt: Type.Optional(Type.Number()),
  services: Type.Array(Type.String()),
  causeTags: Type.Array(Type.String()),
  summary: Type.String(),
  impact: Type.Object({
    users: Type.String(),
    durationMs: Type.Number(),
    budgetConsumed: Type.Number(),
    description: Type.String(),
  }),
  rootCauses: Type.String(),
  trigger: Type.String(),
  detection: Type.String(),
  resolution: Type.String(),
  actionItems: Type.Array(ActionItemSchema),
  lessons: Type.Object({
    wentWell: Type.Array(Type.String()),
    wentWrong: Type.Array(Type.String()),
    gotLucky: Type.Array(Type.String()),
  }),
  timeline: Type.Array(Type.Object({ at: Type.Number(), text: Type.String() })),
  links: Type.Array(Type.Object({ title: Type.String(), url: Type.String() })),
  extraSections: Type.Array(Type.Object({ heading: Type.String(), body: Type.String() })),
  requiredBy: Type.Array(Trigger, { description: "Rules that required this postmortem" }),
});
export type PostmortemView = Static<typeof PostmortemSchema>;

export const CreatePostmortemBody = Type.Object(
  {
    authors: Type.Optional(
      Type.Array(Name, { minItems: 1, maxItems: 20, description: "Default: the caller" }),
    ),
    title: Type.Optional(Title),
  },
  strict,
);

/** An action item inside a postmortem edit (its id may be new; nines assigns ids to new items). */
const ActionItemEdit = Type.Object(
  { ...ActionItemInputSchema.properties, postmortemId: Type.Optional(Name) },
  strict,
);
export const PutPostmortemBody = Type.Object(
  {
    ...PostmortemEditSchema.properties,
    actionItems: Type.Optional(Type.Array(ActionItemEdit, { maxItems: 200 })),
  },
  strict,
);
export type PutPostmortemInput = Static<typeof PutPostmortemBody>;

export const MarkdownBody = Type.Object(
  { markdown: Type.String({ minLength: 1, maxLength: 500_000 }) },
  strict,
);
export const MarkdownImportResponse = Type.Object({
  postmortem: PostmortemSchema,
  unknownSections: Type.Array(Type.String()),
  missingSections: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
});

export const SubmitBody = Type.Object({ reviewers: Type.Array(Name, { minItems: 1, maxItems: 20 }) }, strict);
export const ReviewBody = Type.Object(
  {
    decision: Type.Enum(["approve", "request-changes"]),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
  },
  strict,
);
export const CommentBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    section: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

export const PostmortemListQuery = Type.Object(
  { status: Type.Optional(Type.Enum(["draft", "in-review", "published"])) },
  strict,
);
export const PostmortemSummarySchema = Type.Object({
  id: Type.String(),
  incidentId: Type.String(),
  title: Type.String(),
  status: Type.String(),
  authors: Type.Array(Type.String()),
  reviewers: Type.Array(Type.Object({ name: Type.String(), decision: Type.String() })),
  services: Type.Array(Type.String()),
  causeTags: Type.Array(Type.String()),
  updatedAt: Type.Number(),
  publishedAt: Type.Optional(Type.Number()),
});

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 500 })),
    service: Type.Optional(Name),
    cause: Type.Optional(Name),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  strict,
);
export const SearchHitSchema = Type.Object({
  postmortemId: Type.String(),
  incidentId: Type.String(),
  title: Type.String(),
  score: Type.Number(),
  services: Type.Array(Type.String()),
  causeTags: Type.Array(Type.String()),
  publishedAt: Type.Optional(Type.Number()),
  summary: Type.String(),
});

export const OverduePostmortemSchema = Type.Object({
  incidentId: Type.String(),
  title: Type.String(),
  dueAt: Type.Number(),
  overdueMs: Type.Number(),
  triggers: Type.Array(Trigger),
  postmortem: Type.Union([Type.Object({ id: Type.String(), status: Type.String() }), Type.Null()]),
});

export const NewActionItemBody = Type.Object(
  {
    postmortemId: Type.String({ pattern: "^(?:pm-)?[1-9][0-9]{0,14}$" }),
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
    status: Type.Optional(Type.Enum(["open", "in-progress", "done", "wont-do"])),
    issueUrl: Type.Optional(HttpUrl),
    service: Type.Optional(Name),
    team: Type.Optional(Name),
  },
  strict,
);
export const PatchActionItemBody = Type.Object(
  {
    description: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        pattern: "^[^\\r\\n]*$",
        patternMessage: "must be a single line",
      }),
    ),
    type: Type.Optional(Type.Enum(["mitigate", "prevent", "detect", "process"])),
    owner: Type.Optional(Name),
    priority: Type.Optional(Type.Enum(["P0", "P1", "P2", "P3"])),
    dueAt: Type.Optional(UtcMs),
    status: Type.Optional(Type.Enum(["open", "in-progress", "done", "wont-do"])),
    issueUrl: Type.Optional(Type.Union([HttpUrl, Type.Null()])),
    service: Type.Optional(Name),
    team: Type.Optional(Name),
  },
  { ...strict, minProperties: 1 },
);
export const ActionItemListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(["open", "in-progress", "done", "wont-do"])),
    service: Type.Optional(Name),
    team: Type.Optional(Name),
    owner: Type.Optional(Name),
    postmortemId: Type.Optional(Type.String({ pattern: "^(?:pm-)?[1-9][0-9]{0,14}$" })),
  },
  strict,
);
const Rate = Type.Object({
  key: Type.String(),
  total: Type.Number(),
  done: Type.Number(),
  wontDo: Type.Number(),
  open: Type.Number(),
  rate: Type.Union([Type.Number(), Type.Null()]),
});
export const ActionItemStatsSchema = Type.Object({ byService: Type.Array(Rate), byTeam: Type.Array(Rate) });
