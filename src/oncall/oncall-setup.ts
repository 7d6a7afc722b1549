import type { FieldError } from "../schema/field-errors.js";
import { fieldErrors } from "../schema/field-errors.js";
import type { EscalationPolicy } from "./escalation.js";
import { escalationPolicyErrors } from "./escalation-schema.js";
import type { Person, Schedule, Service, Team } from "./model.js";
import {
  ID_PATTERN,
  OncallConfigSchema,
  type PersonInput,
  type ServiceInput,
  type TeamInput,
} from "./oncall.schemas.js";
import { scheduleErrors } from "./schedule-schema.js";
import { isTimeZone } from "./zoned-time.js";

/** Everything on-call: people, teams, the services they own, schedules and escalation policies. */
export interface OncallSetup {
  readonly people: readonly Person[];
  readonly teams: readonly Team[];
  readonly services: readonly Service[];
  readonly schedules: readonly Schedule[];
  readonly escalationPolicies: readonly EscalationPolicy[];
}

export type EntityKind = keyof OncallSetup;
export const ENTITY_KINDS: readonly EntityKind[] = [
  "people",
  "teams",
  "services",
  "schedules",
  "escalationPolicies",
];

/** Singular names for messages ("team storage"). */
export const KIND_NAMES: Readonly<Record<EntityKind, string>> = {
  people: "person",
  teams: "team",
  services: "service",
  schedules: "schedule",
  escalationPolicies: "escalation policy",
};

const idPattern = new RegExp(ID_PATTERN);

/** A person as stored: contacts default to none. */
export function toPerson(input: PersonInput): Person {
  return {
    id: input.id,
    name: input.name,
    contacts: input.contacts ?? [],
    ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }),
  };
}

export function toTeam(input: TeamInput): Team {
  return {
    id: input.id,
    name: input.name,
    members: input.members ?? [],
    scheduleIds: input.scheduleIds ?? [],
    ...(input.escalationPolicyId === undefined ? {} : { escalationPolicyId: input.escalationPolicyId }),
  };
}

/** A service's id defaults to its name. */
export function toService(input: ServiceInput): Service {
  return { id: input.id ?? input.name, name: input.name, teamId: input.teamId };
}

/** Schedules in files may leave out `overrides`; escalation policies may leave out `repeat`. */
export function withScheduleDefaults(input: unknown): unknown {
  if (isObject(input) && input["overrides"] === undefined) return { ...input, overrides: [] };
  return input;
}

export function withPolicyDefaults(input: unknown): unknown {
  if (isObject(input) && input["repeat"] === undefined) return { ...input, repeat: 0 };
  return input;
}

/** Field errors of a person beyond its schema (the zone). */
export function personErrors(person: Person): FieldError[] {
  return person.timeZone !== undefined && !isTimeZone(person.timeZone)
    ? [{ path: "timeZone", message: `unknown time zone "${person.timeZone}"` }]
    : [];
}

/** Ids of schedules and policies must be as safe as the others (they appear in URLs). */
export function idErrors(id: unknown): FieldError[] {
  return typeof id === "string" && !idPattern.test(id)
    ? [{ path: "id", message: `must match ${ID_PATTERN}` }]
    : [];
}

const prefixed = (prefix: string, errors: readonly FieldError[]): FieldError[] =>
  errors.map((e) => ({ path: e.path === "(root)" ? prefix : `${prefix}.${e.path}`, message: e.message }));

/**
 * Every problem of an on-call document on its own (shape, schedules, policies, duplicate ids),
 * each named by its path ("schedules[0].layers[1].rotation.timeZone"). References between objects
 * are checked against the stored setup by `referenceErrors`.
 */
export function documentErrors(input: unknown): { errors: FieldError[]; setup: OncallSetup | undefined } {
  const errors = fieldErrors(OncallConfigSchema, input);
  if (errors.length > 0) return { errors, setup: undefined };
  const doc = input as {
    people?: PersonInput[];
    teams?: TeamInput[];
    services?: ServiceInput[];
    schedules?: unknown[];
    escalationPolicies?: unknown[];
  };
  const people = (doc.people ?? []).map(toPerson);
  people.forEach((p, i) => {
    errors.push(...prefixed(`people[${i}]`, personErrors(p)));
  });
  const schedules = (doc.schedules ?? []).map(withScheduleDefaults);
  schedules.forEach((s, i) => {
    errors.push(
      ...prefixed(`schedules[${i}]`, [...scheduleErrors(s), ...idErrors((s as { id?: unknown })?.id)]),
    );
  });
  const policies = (doc.escalationPolicies ?? []).map(withPolicyDefaults);
  policies.forEach((p, i) => {
    errors.push(
      ...prefixed(`escalationPolicies[${i}]`, [
        ...escalationPolicyErrors(p),
        ...idErrors((p as { id?: unknown })?.id),
      ]),
    );
  });
  const setup: OncallSetup = {
    people,
    teams: (doc.teams ?? []).map(toTeam),
    services: (doc.services ?? []).map(toService),
    schedules: schedules as Schedule[],
    escalationPolicies: policies as EscalationPolicy[],
  };
  if (errors.length === 0) {
    for (const kind of ENTITY_KINDS) {
      const seen = new Map<string, number>();
      (setup[kind] as readonly { id: string }[]).forEach((entity, i) => {
        const first = seen.get(entity.id);
        if (first !== undefined)
          errors.push({
            path: `${kind}[${i}].id`,
            message: `duplicate id "${entity.id}" (also ${kind}[${first}])`,
          });
        else seen.set(entity.id, i);
      });
    }
  }
  return { errors, setup: errors.length === 0 ? setup : undefined };
}

/** Ids that exist, to check references against. */
export interface Universe {
  readonly people: ReadonlySet<string>;
  readonly teams: ReadonlySet<string>;
  readonly schedules: ReadonlyMap<string, ReadonlySet<string>>;
  readonly escalationPolicies: ReadonlySet<string>;
}

export function universeOf(setup: OncallSetup): Universe {
  return {
    people: new Set(setup.people.map((p) => p.id)),
    teams: new Set(setup.teams.map((t) => t.id)),
    schedules: new Map(setup.schedules.map((s) => [s.id, new Set(s.layers.map((l) => l.id))])),
    escalationPolicies: new Set(setup.escalationPolicies.map((p) => p.id)),
  };
}

/** The references one object makes that point at nothing in `u`, paths relative to the object. */
export function referenceErrors(kind: EntityKind, entity: unknown, u: Universe): FieldError[] {
  const errors: FieldError[] = [];
  const person = (path: string, id: string) => {
    if (!u.people.has(id)) errors.push({ path, message: `no person "${id}"` });
  };
  const schedule = (path: string, id: string) => {
    if (!u.schedules.has(id)) errors.push({ path, message: `no schedule "${id}"` });
  };
  switch (kind) {
    case "teams": {
      const team = entity as Team;
      team.members.forEach((m, i) => {
        person(`members[${i}]`, m);
      });
      team.scheduleIds.forEach((s, i) => {
        schedule(`scheduleIds[${i}]`, s);
      });
      if (team.escalationPolicyId !== undefined && !u.escalationPolicies.has(team.escalationPolicyId))
        errors.push({
          path: "escalationPolicyId",
          message: `no escalation policy "${team.escalationPolicyId}"`,
        });
      break;
    }
    case "services": {
      const service = entity as Service;
      if (!u.teams.has(service.teamId))
        errors.push({ path: "teamId", message: `no team "${service.teamId}"` });
      break;
    }
    case "schedules": {
      const s = entity as Schedule;
      s.layers.forEach((layer, i) => {
        layer.rotation.participants.forEach((p, j) => {
          person(`layers[${i}].rotation.participants[${j}]`, p);
        });
      });
      s.overrides.forEach((o, i) => {
        person(`overrides[${i}].personId`, o.personId);
      });
      break;
    }
    case "escalationPolicies": {
      const policy = entity as EscalationPolicy;
      policy.steps.forEach((step, i) => {
        if (step.kind === "notify-person") person(`steps[${i}].personId`, step.personId);
        if (step.kind === "notify-schedule") {
          const layers = u.schedules.get(step.scheduleId);
          if (layers === undefined) schedule(`steps[${i}].scheduleId`, step.scheduleId);
          else if (step.layerId !== undefined && !layers.has(step.layerId))
            errors.push({
              path: `steps[${i}].layerId`,
              message: `schedule "${step.scheduleId}" has no layer "${step.layerId}"`,
            });
        }
      });
      break;
    }
    case "people":
      break;
  }
  return errors;
}

/** Team and service names are looked up by name too, so each names one object. */
export function nameClashes(kind: "teams" | "services", all: readonly { id: string; name: string }[]) {
  const byName = new Map<string, string[]>();
  for (const e of all) byName.set(e.name, [...(byName.get(e.name) ?? []), e.id]);
  const clashes = new Map<string, string>();
  for (const [name, ids] of byName) {
    if (ids.length > 1)
      for (const id of ids)
        clashes.set(id, `${KIND_NAMES[kind]} name "${name}" is used by ${ids.join(", ")}`);
  }
  // Teams are found by id or name: a team's name may not be another team's id.
  if (kind === "teams") {
    const ids = new Set(all.map((e) => e.id));
    for (const e of all)
      if (e.name !== e.id && ids.has(e.name)) clashes.set(e.id, `team name "${e.name}" is another team's id`);
  }
  return clashes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
