import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { type TSchema, Type } from "typebox";
import type { Database } from "../db/database.js";
import { ValidationError } from "../errors/index.js";
import type { NotificationOutbox } from "../notifications/notification.js";
import type { FieldError } from "../schema/field-errors.js";
import { errorResponses } from "../server/common.schemas.js";
import { parseEscalationPolicy } from "./escalation-schema.js";
import { personICal } from "./ical.js";
import type { Person, Schedule } from "./model.js";
import {
  ApplyResultDto,
  CheckDto,
  EscalationPolicyDto,
  InstantQuery,
  OnCallNowDto,
  OverrideBody,
  OverrideDto,
  PersonDto,
  PersonSchema,
  ScheduleDto,
  ServiceDto,
  ServiceSchema,
  ShiftsDto,
  TakeOverBody,
  TeamDto,
  TeamSchema,
} from "./oncall.schemas.js";
import { type OncallStore, recordNotifyNext, type StoredOverride } from "./oncall.store.js";
import { OncallConfigInvalidError, OncallNotFoundError } from "./oncall-api-errors.js";
import {
  documentErrors,
  type EntityKind,
  idErrors,
  KIND_NAMES,
  personErrors,
  toPerson,
  toService,
  toTeam,
  withPolicyDefaults,
  withScheduleDefaults,
} from "./oncall-setup.js";
import { mergeCalendars, onCallEntry, parseInstant, shiftsView } from "./oncall-views.js";
import { type LocatedError, parseOncallYaml } from "./oncall-yaml.js";
import { checkSchedule } from "./schedule-check.js";
import { parseSchedule } from "./schedule-schema.js";
import { takeOver } from "./take-over.js";

export interface OncallRoutesOptions {
  readonly store: OncallStore;
  readonly db: Kysely<Database>;
  /** Where "notify the next on-call" queues its notification. */
  readonly outbox?: NotificationOutbox | undefined;
}

const tags = ["oncall"];
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const strict = { additionalProperties: false } as const;
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

/** A YAML request body, kept as text so that errors can name their lines. */
class YamlBody {
  constructor(readonly text: string) {}
}

const actorOf = (request: { principal?: { name: string } | undefined }) =>
  request.principal?.name ?? "anonymous";

interface Resource {
  readonly kind: EntityKind;
  readonly path: string;
  readonly body: TSchema;
  readonly dto: TSchema;
  /** Validates a request body into the stored object; throws a 400 naming fields. */
  parse(body: unknown): { id: string } & object;
}

function bodyError(errors: readonly FieldError[]): never {
  const details = errors.map((e) => ({ path: `body.${e.path}`, message: e.message }));
  throw new ValidationError(
    `invalid request: ${details.map((d) => `${d.path} ${d.message}`).join("; ")}`,
    details,
  );
}

const RESOURCES: readonly Resource[] = [
  {
    kind: "people",
    path: "/api/v1/people",
    body: PersonSchema,
    dto: PersonDto,
    parse(body) {
      const person = toPerson(body as never);
      const errors = personErrors(person);
      if (errors.length > 0) bodyError(errors);
      return person;
    },
  },
  {
    kind: "teams",
    path: "/api/v1/teams",
    body: TeamSchema,
    dto: TeamDto,
    parse: (body) => toTeam(body as never),
  },
  {
    kind: "services",
    path: "/api/v1/services",
    body: ServiceSchema,
    dto: ServiceDto,
    parse: (body) => toService(body as never),
  },
  {
    kind: "schedules",
    path: "/api/v1/schedules",
    body: Type.Unknown({
      description: "A schedule (see docs/signals.md#schedules); `overrides` may be left out.",
    }),
    dto: ScheduleDto,
    parse(body) {
      const schedule = parseSchedule(withScheduleDefaults(body));
      const errors = idErrors(schedule.id);
      if (errors.length > 0) bodyError(errors);
      return schedule;
    },
  },
  {
    kind: "escalationPolicies",
    path: "/api/v1/escalation-policies",
    body: Type.Unknown({ description: "An escalation policy (see docs/signals.md#escalation-policies)." }),
    dto: EscalationPolicyDto,
    parse(body) {
      const policy = parseEscalationPolicy(withPolicyDefaults(body));
      const errors = idErrors(policy.id);
      if (errors.length > 0) bodyError(errors);
      return policy;
    },
  },
];

/**
 * The on-call API: people, teams, services, schedules and escalation policies (CRUD and one
 * declarative document), who is on call, the shift timeline, overrides, take-over, notify-next,
 * the schedule check and iCal feeds.
 */
export const oncallRoutes: FastifyPluginAsyncTypebox<OncallRoutesOptions> = async (app, options) => {
  const { store } = options;

  app.addContentTypeParser(
    ["application/yaml", "application/x-yaml", "text/yaml"],
    { parseAs: "string" },
    (_request, body, done) => done(null, new YamlBody(String(body))),
  );

  const requireSchedule = async (id: string): Promise<Schedule> => {
    const schedule = await store.get("schedules", id);
    if (schedule === undefined)
      throw new OncallNotFoundError(`no schedule "${id}"`, { kind: "schedules", id });
    return schedule;
  };
  const peopleMap = async () => new Map((await store.list("people")).map((p) => [p.id, p] as const));

  for (const r of RESOURCES) {
    const name = KIND_NAMES[r.kind];
    app.get(
      r.path,
      {
        schema: { tags, summary: `Every ${name}.`, response: { 200: Type.Array(r.dto), ...errorResponses } },
      },
      async () => store.list(r.kind),
    );
    app.get(
      `${r.path}/:id`,
      {
        schema: {
          tags,
          summary: `One ${name}.`,
          params: IdParams,
          response: { 200: r.dto, ...errorResponses },
        },
      },
      async (request) => {
        const found = await store.get(r.kind, request.params.id);
        if (found === undefined)
          throw new OncallNotFoundError(`no ${name} "${request.params.id}"`, {
            kind: r.kind,
            id: request.params.id,
          });
        return found;
      },
    );
    app.post(
      r.path,
      {
        config: { access: "write" },
        schema: {
          tags,
          summary: `Create a ${name} (409 if the id exists). References to other objects must exist.`,
          body: r.body,
          response: { 201: r.dto, 409: errorResponses[400], ...errorResponses },
        },
      },
      async (request, reply) => {
        const entity = r.parse(request.body);
        await store.create(r.kind, entity as never, actorOf(request));
        return reply.status(201).send(await store.get(r.kind, entity.id));
      },
    );
    app.put(
      `${r.path}/:id`,
      {
        config: { access: "write" },
        schema: {
          tags,
          summary:
            r.kind === "schedules"
              ? "Create or replace a schedule; the overrides it lists are added or replaced by id, others are kept."
              : `Create or replace a ${name}.`,
          params: IdParams,
          body: r.body,
          response: { 200: r.dto, 409: errorResponses[400], ...errorResponses },
        },
      },
      async (request) => {
        const raw = request.body;
        const withId =
          r.kind === "services" && typeof raw === "object" && raw !== null && !("id" in raw)
            ? { ...raw, id: request.params.id }
            : raw;
        const entity = r.parse(withId);
        if (entity.id !== request.params.id)
          bodyError([{ path: "id", message: `must be "${request.params.id}" as in the URL` }]);
        await store.put(r.kind, entity as never, actorOf(request));
        return store.get(r.kind, entity.id);
      },
    );
    app.delete(
      `${r.path}/:id`,
      {
        config: { access: "write" },
        schema: {
          tags,
          summary: `Delete a ${name} (409 while other objects refer to it).`,
          params: IdParams,
          response: { 204: Type.Null(), 409: errorResponses[400], ...errorResponses },
        },
      },
      async (request, reply) => {
        await store.remove(r.kind, request.params.id, actorOf(request));
        return reply.status(204).send(null);
      },
    );
  }

  app.get(
    "/api/v1/oncall/config",
    {
      schema: {
        tags,
        summary: "The whole on-call setup as one document (the format `PUT /api/v1/oncall/config` takes).",
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async () => {
      const setup = await store.setup();
      return {
        ...setup,
        services: setup.services.map((s) => (s.id === s.name ? { name: s.name, teamId: s.teamId } : s)),
      };
    },
  );

  app.put(
    "/api/v1/oncall/config",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary:
          "Apply the on-call setup (people, teams, services, schedules, escalation policies) from one JSON or YAML document, all or nothing. With prune=true, objects the document does not name are deleted.",
        querystring: Type.Object(
          { prune: Type.Optional(Type.Boolean()), dryRun: Type.Optional(Type.Boolean()) },
          strict,
        ),
        body: Type.Unknown({
          description: "The document as JSON, or as YAML text with Content-Type application/yaml.",
        }),
        response: { 200: ApplyResultDto, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      let input: unknown = request.body;
      let locate = (errors: readonly FieldError[]): LocatedError[] => [...errors];
      if (input instanceof YamlBody) {
        const parsed = parseOncallYaml(input.text);
        if (parsed.errors.length > 0) throw invalidConfig(parsed.errors);
        input = parsed.value;
        locate = parsed.locate;
      }
      const { errors, setup } = documentErrors(input);
      if (setup === undefined) throw invalidConfig(locate(errors));
      try {
        const results = await store.apply(setup, (kind, i) => `${kind}[${i}]`, {
          actor: actorOf(request),
          prune: request.query.prune === true,
          dryRun: request.query.dryRun === true,
        });
        return { dryRun: request.query.dryRun === true, results };
      } catch (error) {
        if (error instanceof OncallConfigInvalidError)
          throw invalidConfig(locate(error.details as FieldError[]));
        throw error;
      }
    },
  );

  app.get(
    "/api/v1/oncall/now",
    {
      schema: {
        tags,
        summary:
          "Who is on call now (or at `at`) per team and schedule, the layer that decided, until when, and who is next.",
        querystring: Type.Object(
          { team: Type.Optional(Type.String({ minLength: 1 })), at: Type.Optional(InstantQuery) },
          strict,
        ),
        response: { 200: OnCallNowDto, ...errorResponses },
      },
    },
    async (request) => {
      const at =
        request.query.at === undefined ? Date.now() : parseInstant(request.query.at, "querystring.at");
      const setup = await store.setup();
      const people = new Map(setup.people.map((p) => [p.id, p] as const));
      const schedules = new Map(setup.schedules.map((s) => [s.id, s] as const));
      const wanted = request.query.team;
      const teams = setup.teams.filter((t) => wanted === undefined || t.id === wanted || t.name === wanted);
      if (wanted !== undefined && teams.length === 0)
        throw new OncallNotFoundError(`no team "${wanted}"`, { kind: "teams", id: wanted });
      const entries = teams.flatMap((team) =>
        team.scheduleIds.flatMap((id) => {
          const schedule = schedules.get(id);
          return schedule === undefined ? [] : [onCallEntry(team, schedule, people, at)];
        }),
      );
      if (wanted === undefined) {
        const owned = new Set(setup.teams.flatMap((t) => t.scheduleIds));
        for (const s of setup.schedules) if (!owned.has(s.id)) entries.push(onCallEntry(null, s, people, at));
      }
      return { at, entries };
    },
  );

  const ScheduleParams = IdParams;

  app.get(
    "/api/v1/schedules/:id/shifts",
    {
      schema: {
        tags,
        summary:
          "The final timeline of a schedule over [from, to) (default: the next 14 days) with gaps, each layer's spans and the overrides.",
        params: ScheduleParams,
        querystring: Type.Object(
          { from: Type.Optional(InstantQuery), to: Type.Optional(InstantQuery) },
          strict,
        ),
        response: { 200: ShiftsDto, ...errorResponses },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(request.params.id);
      const from =
        request.query.from === undefined ? Date.now() : parseInstant(request.query.from, "querystring.from");
      const to =
        request.query.to === undefined
          ? from + 14 * DAY_MS
          : parseInstant(request.query.to, "querystring.to");
      return shiftsView(schedule, await peopleMap(), from, to);
    },
  );

  app.get(
    "/api/v1/schedules/:id/check",
    {
      schema: {
        tags,
        summary: "Gaps (nobody on call) and unequal load over the next weeks.",
        params: ScheduleParams,
        querystring: Type.Object(
          {
            weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 104, default: 4 })),
            tolerance: Type.Optional(Type.Number({ minimum: 0, default: 0.25 })),
            from: Type.Optional(InstantQuery),
          },
          strict,
        ),
        response: { 200: CheckDto, ...errorResponses },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(request.params.id);
      const from =
        request.query.from === undefined ? Date.now() : parseInstant(request.query.from, "querystring.from");
      const weeks = request.query.weeks ?? 4;
      const tolerance = request.query.tolerance ?? 0.25;
      const check = checkSchedule(schedule, { from, weeks, tolerance });
      return {
        from,
        weeks,
        tolerance,
        ok: check.gaps.length === 0 && check.imbalances.length === 0,
        gaps: [...check.gaps],
        hoursByPerson: { ...check.hoursByPerson },
        imbalances: [...check.imbalances],
      };
    },
  );

  app.post(
    "/api/v1/schedules/:id/overrides",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Swap a shift: the person replaces whoever is on call during [start, end).",
        params: ScheduleParams,
        body: OverrideBody,
        response: { 201: OverrideDto, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      await requireSchedule(request.params.id);
      const { personId, reason } = request.body;
      const start = parseInstant(request.body.start, "body.start");
      const end = parseInstant(request.body.end, "body.end");
      if (!(end > start)) bodyError([{ path: "end", message: "must be after start" }]);
      const override: StoredOverride = {
        id: request.body.id ?? `${personId}-${start}`,
        personId,
        start,
        end,
        ...(reason === undefined ? {} : { reason }),
      };
      return reply.status(201).send(await store.addOverride(request.params.id, override, actorOf(request)));
    },
  );

  app.delete(
    "/api/v1/schedules/:id/overrides/:overrideId",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Remove an override.",
        params: Type.Object(
          { id: Type.String({ minLength: 1 }), overrideId: Type.String({ minLength: 1 }) },
          strict,
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await store.removeOverride(request.params.id, request.params.overrideId, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/v1/schedules/:id/take-over",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary:
          'Emergency take-over ("I take this shift now"): an override for the caller from now to the end of the shift under way.',
        params: ScheduleParams,
        body: TakeOverBody,
        response: {
          201: Type.Object({
            override: OverrideDto,
            replaced: Type.Union([Type.String(), Type.Null()], {
              description: "Who was on call, or null in a gap.",
            }),
          }),
          409: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const schedule = await requireSchedule(request.params.id);
      const now = Date.now();
      const before = onCallEntry(null, schedule, new Map(), now).personId;
      const o = takeOver(schedule, request.body.personId, now, request.body.reason);
      const override = await store.addOverride(
        schedule.id,
        { ...o, id: o.id ?? `takeover-${now}` },
        actorOf(request),
      );
      return reply.status(201).send({ override, replaced: before });
    },
  );

  app.post(
    "/api/v1/schedules/:id/notify-next",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary:
          "Notify the next on-call: who comes on next and when; a notification to that person is queued in the outbox.",
        params: ScheduleParams,
        body: Type.Optional(
          Type.Object({ message: Type.Optional(Type.String({ maxLength: 1000 })) }, strict),
        ),
        response: {
          200: Type.Object({
            personId: Type.Union([Type.String(), Type.Null()]),
            name: Type.Union([Type.String(), Type.Null()]),
            start: Type.Union([Type.Number(), Type.Null()]),
            notified: Type.Boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(request.params.id);
      const now = Date.now();
      const people = await peopleMap();
      const next = onCallEntry(null, schedule, people, now).next;
      if (next === null) return { personId: null, name: null, start: null, notified: false };
      const actor = actorOf(request);
      const note = request.body?.message;
      const notified = await recordNotifyNext(options.db, options.outbox, {
        scheduleId: schedule.id,
        personId: next.personId,
        start: next.start,
        actor,
        intent: {
          target: { type: "person", personId: next.personId },
          dedupKey: `oncall-next:${schedule.id}:${next.personId}:${next.start}:${now}`,
          message: {
            event: "escalate",
            subject: { kind: "signal", id: `oncall-next:${schedule.id}` },
            title: `You are on call next: ${schedule.name}`,
            summary: `${next.name} is on call next for ${schedule.name} from ${new Date(next.start).toISOString()}; ${actor} asks you to get ready${note ? `: ${note}` : "."}`,
            service: "oncall",
            severity: "info",
            outcome: "page",
            labels: { schedule: schedule.id },
            links: [],
            startsAt: now,
          },
        },
      });
      return { personId: next.personId, name: next.name, start: next.start, notified };
    },
  );

  app.get(
    "/api/v1/people/:id/shifts.ics",
    {
      config: { access: "read", queryToken: true },
      schema: {
        tags,
        summary:
          "iCalendar feed of a person's shifts in every schedule (default: 7 days back to 8 weeks ahead). Calendar apps may pass the token as `?token=`.",
        params: IdParams,
        querystring: Type.Object(
          {
            from: Type.Optional(InstantQuery),
            to: Type.Optional(InstantQuery),
            token: Type.Optional(Type.String()),
          },
          strict,
        ),
        produces: ["text/calendar"],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const person: Person | undefined = await store.get("people", request.params.id);
      if (person === undefined)
        throw new OncallNotFoundError(`no person "${request.params.id}"`, {
          kind: "people",
          id: request.params.id,
        });
      const now = Date.now();
      const from =
        request.query.from === undefined
          ? now - WEEK_MS
          : parseInstant(request.query.from, "querystring.from");
      const to =
        request.query.to === undefined ? now + 8 * WEEK_MS : parseInstant(request.query.to, "querystring.to");
      const schedules = (await store.list("schedules")).filter(
        (s) =>
          s.layers.some((l) => l.rotation.participants.includes(person.id)) ||
          s.overrides.some((o) => o.personId === person.id),
      );
      const calendars = schedules.map((s) => personICal(s, person.id, from, to, { now }));
      return reply
        .type("text/calendar; charset=utf-8")
        .header("content-disposition", `inline; filename="${person.id}-oncall.ics"`)
        .send(mergeCalendars(calendars, `On call: ${person.name}`));
    },
  );
};

function invalidConfig(errors: readonly LocatedError[]) {
  const summary = errors
    .slice(0, 5)
    .map((e) => `${e.line === undefined ? "" : `line ${e.line}: `}${e.path}: ${e.message}`)
    .join("; ");
  return new OncallConfigInvalidError(`invalid on-call document: ${summary}`, errors);
}
