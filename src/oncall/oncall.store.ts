import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { NotificationIntent, NotificationOutbox } from "../notifications/notification.js";
import type { FieldError } from "../schema/field-errors.js";
import type { OncallDirectory } from "./directory.js";
import type { EscalationPolicy } from "./escalation.js";
import type { Contact, Override, Person, Schedule, Service, Team } from "./model.js";
import type { OncallOverridesTable } from "./oncall.tables.js";
import {
  OncallConfigInvalidError,
  OncallConflictError,
  OncallNotFoundError,
  OncallReferenceError,
} from "./oncall-api-errors.js";
import {
  ENTITY_KINDS,
  type EntityKind,
  KIND_NAMES,
  nameClashes,
  type OncallSetup,
  referenceErrors,
  universeOf,
} from "./oncall-setup.js";

type Entity = Person | Team | Service | Schedule | EscalationPolicy;
export type EntityOf<K extends EntityKind> = OncallSetup[K][number];
export type WriteOutcome = "created" | "updated" | "unchanged" | "deleted";

/** An override as stored: it always has an id. */
export type StoredOverride = Override & { readonly id: string };

/** One object of a change, with the path that names it in the caller's input ("" for a request body). */
export interface Submitted {
  readonly kind: EntityKind;
  readonly entity: Entity;
  readonly path: string;
}

export interface ApplyOptions {
  /** Remove every object the document does not name (overrides of kept schedules stay). */
  readonly prune?: boolean;
  /** Validate only; nothing is written. */
  readonly dryRun?: boolean;
  readonly actor: string;
  readonly now?: number;
}

export interface ApplyOutcome {
  readonly kind: EntityKind;
  readonly id: string;
  readonly outcome: WriteOutcome;
}

export interface OncallStore {
  /** Everything, schedules with their overrides in the order they win. */
  setup(): Promise<OncallSetup>;
  list<K extends EntityKind>(kind: K): Promise<EntityOf<K>[]>;
  get<K extends EntityKind>(kind: K, id: string): Promise<EntityOf<K> | undefined>;
  /** Creates an object; NINES_ERR_ONCALL_CONFLICT when the id exists. */
  create(kind: EntityKind, entity: Entity, actor: string): Promise<void>;
  /** Creates or replaces an object (a schedule's overrides are upserted by id; others are kept). */
  put(kind: EntityKind, entity: Entity, actor: string): Promise<WriteOutcome>;
  /** Removes an object; 404 when absent, 409 when others still refer to it. */
  remove(kind: EntityKind, id: string, actor: string): Promise<void>;
  /** Applies a whole document in one transaction: all of it or nothing. */
  apply(document: OncallSetup, paths: DocumentPaths, options: ApplyOptions): Promise<ApplyOutcome[]>;
  addOverride(scheduleId: string, override: StoredOverride, actor: string): Promise<StoredOverride>;
  removeOverride(scheduleId: string, overrideId: string, actor: string): Promise<void>;
}

/** How the document names each object ("schedules[2]"), for error paths. */
export type DocumentPaths = (kind: EntityKind, index: number) => string;

type Trx = Kysely<Database>;

/** The on-call store over Kysely (SQLite or PostgreSQL). */
export function oncallStore(db: Kysely<Database>): OncallStore {
  const store: OncallStore = {
    setup: () => loadSetup(db),

    async list(kind) {
      return (await loadKind(db, kind)) as never;
    },

    async get(kind, id) {
      return (await loadKind(db, kind, [id]))[0] as never;
    },

    async create(kind, entity, actor) {
      await db.transaction().execute(async (trx) => {
        const existing = await loadKind(trx, kind, [entity.id]);
        if (existing.length > 0) {
          throw new OncallConflictError(`${KIND_NAMES[kind]} "${entity.id}" already exists`, [
            { path: "id", message: `${KIND_NAMES[kind]} "${entity.id}" already exists` },
          ]);
        }
        await change(trx, [{ kind, entity, path: "" }], [], { actor, invalid: OncallReferenceError });
      });
    },

    async put(kind, entity, actor) {
      return db.transaction().execute(async (trx) => {
        const outcomes = await change(trx, [{ kind, entity, path: "" }], [], {
          actor,
          invalid: OncallReferenceError,
        });
        return outcomes[0]?.outcome ?? "unchanged";
      });
    },

    async remove(kind, id, actor) {
      await db.transaction().execute(async (trx) => {
        if ((await loadKind(trx, kind, [id])).length === 0)
          throw new OncallNotFoundError(`no ${KIND_NAMES[kind]} "${id}"`, { kind, id });
        await change(trx, [], [{ kind, id }], { actor, invalid: OncallReferenceError });
      });
    },

    async apply(document, paths, options) {
      const submitted: Submitted[] = ENTITY_KINDS.flatMap((kind) =>
        (document[kind] as readonly Entity[]).map((entity, i) => ({ kind, entity, path: paths(kind, i) })),
      );
      const run = async (trx: Trx) => {
        const removals: { kind: EntityKind; id: string }[] = [];
        if (options.prune) {
          for (const kind of ENTITY_KINDS) {
            const keep = new Set((document[kind] as readonly Entity[]).map((e) => e.id));
            for (const id of await loadIds(trx, kind)) if (!keep.has(id)) removals.push({ kind, id });
          }
        }
        return change(trx, submitted, removals, {
          actor: options.actor,
          invalid: OncallConfigInvalidError,
          dryRun: options.dryRun === true,
          ...(options.now === undefined ? {} : { now: options.now }),
        });
      };
      return db.transaction().execute(run);
    },

    async addOverride(scheduleId, override, actor) {
      return db.transaction().execute(async (trx) => {
        const [schedule] = await loadSchedules(trx, [scheduleId]);
        if (schedule === undefined)
          throw new OncallNotFoundError(`no schedule "${scheduleId}"`, { kind: "schedules", id: scheduleId });
        const person = await trx
          .selectFrom("oncall_people")
          .select("id")
          .where("id", "=", override.personId)
          .executeTakeFirst();
        if (person === undefined) {
          throw new OncallReferenceError(`no person "${override.personId}"`, [
            { path: "personId", message: `no person "${override.personId}"` },
          ]);
        }
        if (schedule.overrides.some((o) => o.id === override.id)) {
          throw new OncallConflictError(`schedule "${scheduleId}" already has an override "${override.id}"`, [
            { path: "id", message: "already exists" },
          ]);
        }
        const now = Date.now();
        await trx
          .insertInto("oncall_overrides")
          .values(overrideRow(scheduleId, override, actor, now))
          .execute();
        await audit(trx, now, actor, "oncall.override.create", `${scheduleId}/${override.id}`, override);
        return override;
      });
    },

    async removeOverride(scheduleId, overrideId, actor) {
      await db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom("oncall_overrides")
          .where("schedule_id", "=", scheduleId)
          .where("override_id", "=", overrideId)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) === 0) {
          throw new OncallNotFoundError(`schedule "${scheduleId}" has no override "${overrideId}"`, {
            scheduleId,
            overrideId,
          });
        }
        await audit(trx, Date.now(), actor, "oncall.override.delete", `${scheduleId}/${overrideId}`, {});
      });
    },
  };
  return store;
}

/** The directory the other domains read on-call data through (src/oncall/directory.ts). */
export function oncallDirectory(db: Kysely<Database>): OncallDirectory {
  return {
    async teamForService(service) {
      const row = await db
        .selectFrom("oncall_services")
        .select("team_id")
        .where("name", "=", service)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return (await loadTeams(db, [row.team_id]))[0];
    },
    async team(idOrName) {
      const byId = await loadTeams(db, [idOrName]);
      if (byId[0] !== undefined) return byId[0];
      const rows = await db.selectFrom("oncall_teams").selectAll().where("name", "=", idOrName).execute();
      return rows.map(teamFromRow)[0];
    },
    async escalationPolicy(id) {
      return (await loadPolicies(db, [id]))[0];
    },
    async schedules(ids) {
      const found = await loadSchedules(db, ids);
      return new Map(found.map((s) => [s.id, s]));
    },
    async person(id) {
      return (await loadPeople(db, [id]))[0];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The one write path: merge the change into the stored setup, check every reference, then write.

interface ChangeOptions {
  readonly actor: string;
  readonly invalid: typeof OncallReferenceError;
  readonly dryRun?: boolean;
  readonly now?: number;
}

async function change(
  trx: Trx,
  submitted: readonly Submitted[],
  removals: readonly { kind: EntityKind; id: string }[],
  options: ChangeOptions,
): Promise<ApplyOutcome[]> {
  const stored = await loadSetup(trx);
  const merged = new Map<EntityKind, Map<string, Entity>>();
  for (const kind of ENTITY_KINDS)
    merged.set(kind, new Map((stored[kind] as readonly Entity[]).map((e) => [e.id, e])));
  for (const r of removals) merged.get(r.kind)?.delete(r.id);
  const submittedIds = new Map<EntityKind, Set<string>>(ENTITY_KINDS.map((k) => [k, new Set<string>()]));
  for (const s of submitted) {
    submittedIds.get(s.kind)?.add(s.entity.id);
    const previous = merged.get(s.kind)?.get(s.entity.id);
    const entity =
      s.kind === "schedules"
        ? mergeOverrides(previous as Schedule | undefined, s.entity as Schedule)
        : s.entity;
    merged.get(s.kind)?.set(s.entity.id, entity);
  }
  const all = <K extends EntityKind>(kind: K) => [...(merged.get(kind)?.values() ?? [])] as EntityOf<K>[];
  const universe = universeOf({
    people: all("people"),
    teams: all("teams"),
    services: all("services"),
    schedules: all("schedules"),
    escalationPolicies: all("escalationPolicies"),
  });

  const invalid: FieldError[] = [];
  const conflicts: FieldError[] = [];
  const at = (path: string, rel: string) => (path === "" ? rel : `${path}.${rel}`);
  for (const s of submitted) {
    for (const e of referenceErrors(s.kind, s.entity, universe))
      invalid.push({ path: at(s.path, e.path), message: e.message });
  }
  for (const kind of ["teams", "services"] as const) {
    const clashes = nameClashes(kind, all(kind));
    for (const s of submitted) {
      const message = s.kind === kind ? clashes.get(s.entity.id) : undefined;
      if (message !== undefined) invalid.push({ path: at(s.path, "name"), message });
    }
  }
  // Objects outside the change must still point at something after it.
  for (const kind of ENTITY_KINDS) {
    for (const entity of all(kind)) {
      const isSubmitted = submittedIds.get(kind)?.has(entity.id) === true;
      if (isSubmitted && kind !== "schedules") continue;
      const checked =
        isSubmitted && kind === "schedules"
          ? storedOnlyOverrides(entity as Schedule, submitted)
          : (entity as Entity);
      for (const e of referenceErrors(kind, checked, universe)) {
        conflicts.push({
          path: `${kind}["${entity.id}"].${e.path}`,
          message: `${e.message} (${KIND_NAMES[kind]} "${entity.id}" refers to it)`,
        });
      }
    }
  }
  if (invalid.length > 0) {
    const summary = invalid.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new options.invalid(`invalid on-call change: ${summary}`, invalid);
  }
  if (conflicts.length > 0) {
    const summary = conflicts.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new OncallConflictError(`the change would leave references to nothing: ${summary}`, conflicts);
  }

  const outcomes: ApplyOutcome[] = [];
  const now = options.now ?? Date.now();
  for (const s of submitted) {
    const previous = (stored[s.kind] as readonly Entity[]).find((e) => e.id === s.entity.id);
    const outcome: WriteOutcome =
      previous === undefined
        ? "created"
        : sameEntity(s.kind, previous, merged.get(s.kind)?.get(s.entity.id) as Entity)
          ? "unchanged"
          : "updated";
    outcomes.push({ kind: s.kind, id: s.entity.id, outcome });
    if (options.dryRun || outcome === "unchanged") continue;
    await writeEntity(trx, s.kind, s.entity, previous !== undefined, options.actor, now);
    await audit(trx, now, options.actor, `oncall.${s.kind}.${outcome}`, s.entity.id, {});
  }
  for (const r of removals) {
    outcomes.push({ kind: r.kind, id: r.id, outcome: "deleted" });
    if (options.dryRun) continue;
    await deleteEntity(trx, r.kind, r.id);
    await audit(trx, now, options.actor, `oncall.${r.kind}.deleted`, r.id, {});
  }
  return outcomes;
}

/** A submitted schedule keeps the stored overrides it does not name; the ones it names replace theirs. */
function mergeOverrides(previous: Schedule | undefined, next: Schedule): Schedule {
  const named = withOverrideIds(next.overrides);
  const kept = (previous?.overrides ?? []).map((o) => named.find((n) => n.id === o.id) ?? o);
  const added = named.filter((n) => !kept.some((o) => o.id === n.id));
  return { ...next, overrides: [...kept, ...added] };
}

function storedOnlyOverrides(schedule: Schedule, submitted: readonly Submitted[]): Schedule {
  const mine = submitted.find((s) => s.kind === "schedules" && s.entity.id === schedule.id)?.entity as
    | Schedule
    | undefined;
  const named = new Set(withOverrideIds(mine?.overrides ?? []).map((o) => o.id));
  return { ...schedule, layers: [], overrides: schedule.overrides.filter((o) => !named.has(o.id ?? "")) };
}

/** Overrides in documents may leave out `id`: it is derived from person and start, so re-applying is idempotent. */
export function withOverrideIds(overrides: readonly Override[]): StoredOverride[] {
  return overrides.map((o) => ({ ...o, id: o.id ?? `${o.personId}-${o.start}` }));
}

function sameEntity(kind: EntityKind, a: Entity, b: Entity): boolean {
  return stableJson(toComparable(kind, a)) === stableJson(toComparable(kind, b));
}

function toComparable(kind: EntityKind, e: Entity): unknown {
  if (kind !== "schedules") return e;
  const s = e as Schedule;
  return { ...s, overrides: withOverrideIds(s.overrides) };
}

/** JSON with object keys sorted, so that equal documents compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

async function writeEntity(
  trx: Trx,
  kind: EntityKind,
  entity: Entity,
  exists: boolean,
  actor: string,
  now: number,
): Promise<void> {
  const upsert = async <T extends keyof Database & `oncall_${string}`>(
    table: T,
    row: Record<string, unknown>,
  ) => {
    if (exists) {
      await trx
        .updateTable(table as "oncall_people")
        .set(row as never)
        .where("id", "=", entity.id)
        .execute();
    } else {
      await trx
        .insertInto(table as "oncall_people")
        .values({ id: entity.id, ...row } as never)
        .execute();
    }
  };
  switch (kind) {
    case "people": {
      const p = entity as Person;
      await upsert("oncall_people", {
        name: p.name,
        contacts: JSON.stringify(p.contacts),
        time_zone: p.timeZone ?? null,
        updated_at: now,
      });
      return;
    }
    case "teams": {
      const t = entity as Team;
      await upsert("oncall_teams", {
        name: t.name,
        members: JSON.stringify(t.members),
        schedule_ids: JSON.stringify(t.scheduleIds),
        escalation_policy_id: t.escalationPolicyId ?? null,
        updated_at: now,
      });
      return;
    }
    case "services": {
      const s = entity as Service;
      await upsert("oncall_services", { name: s.name, team_id: s.teamId, updated_at: now });
      return;
    }
    case "schedules": {
      const s = entity as Schedule;
      await upsert("oncall_schedules", {
        name: s.name,
        document: stableJson({ id: s.id, name: s.name, layers: s.layers }),
        updated_at: now,
      });
      for (const o of withOverrideIds(s.overrides)) {
        const updated = await trx
          .updateTable("oncall_overrides")
          .set({ person_id: o.personId, start_ms: o.start, end_ms: o.end, reason: o.reason ?? null })
          .where("schedule_id", "=", s.id)
          .where("override_id", "=", o.id)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0)
          await trx
            .insertInto("oncall_overrides")
            .values(overrideRow(s.id, o, actor, now))
            .execute();
      }
      return;
    }
    case "escalationPolicies": {
      const p = entity as EscalationPolicy;
      await upsert("oncall_escalation_policies", { name: p.name, document: stableJson(p), updated_at: now });
      return;
    }
  }
}

async function deleteEntity(trx: Trx, kind: EntityKind, id: string): Promise<void> {
  if (kind === "schedules") {
    await trx.deleteFrom("oncall_overrides").where("schedule_id", "=", id).execute();
  }
  await trx
    .deleteFrom(TABLES[kind] as "oncall_people")
    .where("id", "=", id)
    .execute();
}

const TABLES = {
  people: "oncall_people",
  teams: "oncall_teams",
  services: "oncall_services",
  schedules: "oncall_schedules",
  escalationPolicies: "oncall_escalation_policies",
} as const satisfies Record<EntityKind, keyof Database>;

function overrideRow(scheduleId: string, o: StoredOverride, actor: string, now: number) {
  return {
    schedule_id: scheduleId,
    override_id: o.id,
    person_id: o.personId,
    start_ms: o.start,
    end_ms: o.end,
    reason: o.reason ?? null,
    created_at: now,
    created_by: actor,
  };
}

async function audit(trx: Trx, at: number, actor: string, action: string, subject: string, details: unknown) {
  await trx
    .insertInto("audit_log")
    .values({ at, actor, action, subject, details: JSON.stringify(details) })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Reads.

async function loadSetup(db: Trx): Promise<OncallSetup> {
  const [people, teams, services, schedules, escalationPolicies] = await Promise.all([
    loadPeople(db),
    loadTeams(db),
    loadServices(db),
    loadSchedules(db),
    loadPolicies(db),
  ]);
  return { people, teams, services, schedules, escalationPolicies };
}

async function loadKind(db: Trx, kind: EntityKind, ids?: readonly string[]): Promise<Entity[]> {
  switch (kind) {
    case "people":
      return loadPeople(db, ids);
    case "teams":
      return loadTeams(db, ids);
    case "services":
      return loadServices(db, ids);
    case "schedules":
      return loadSchedules(db, ids);
    case "escalationPolicies":
      return loadPolicies(db, ids);
  }
}

async function loadIds(db: Trx, kind: EntityKind): Promise<string[]> {
  const rows = await db
    .selectFrom(TABLES[kind] as "oncall_people")
    .select("id")
    .execute();
  return rows.map((r) => r.id);
}

async function loadPeople(db: Trx, ids?: readonly string[]): Promise<Person[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom("oncall_people").selectAll().orderBy("id");
  if (ids !== undefined) q = q.where("id", "in", ids);
  return (await q.execute()).map((r) => ({
    id: r.id,
    name: r.name,
    contacts: JSON.parse(r.contacts) as Contact[],
    ...(r.time_zone === null ? {} : { timeZone: r.time_zone }),
  }));
}

function teamFromRow(r: Database["oncall_teams"]): Team {
  return {
    id: r.id,
    name: r.name,
    members: JSON.parse(r.members) as string[],
    scheduleIds: JSON.parse(r.schedule_ids) as string[],
    ...(r.escalation_policy_id === null ? {} : { escalationPolicyId: r.escalation_policy_id }),
  };
}

async function loadTeams(db: Trx, ids?: readonly string[]): Promise<Team[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom("oncall_teams").selectAll().orderBy("id");
  if (ids !== undefined) q = q.where("id", "in", ids);
  return (await q.execute()).map(teamFromRow);
}

async function loadServices(db: Trx, ids?: readonly string[]): Promise<Service[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom("oncall_services").selectAll().orderBy("id");
  if (ids !== undefined) q = q.where("id", "in", ids);
  return (await q.execute()).map((r) => ({ id: r.id, name: r.name, teamId: r.team_id }));
}

async function loadSchedules(db: Trx, ids?: readonly string[]): Promise<Schedule[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom("oncall_schedules").selectAll().orderBy("id");
  if (ids !== undefined) q = q.where("id", "in", ids);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const overrides = await db
    .selectFrom("oncall_overrides")
    .selectAll()
    .where(
      "schedule_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("id")
    .execute();
  const bySchedule = new Map<string, StoredOverride[]>();
  for (const o of overrides) {
    const list = bySchedule.get(o.schedule_id) ?? [];
    list.push(overrideFromRow(o));
    bySchedule.set(o.schedule_id, list);
  }
  return rows.map((r) => {
    const doc = JSON.parse(r.document) as Omit<Schedule, "overrides">;
    return { id: r.id, name: r.name, layers: doc.layers, overrides: bySchedule.get(r.id) ?? [] };
  });
}

function overrideFromRow(
  o: Pick<OncallOverridesTable, "override_id" | "person_id" | "start_ms" | "end_ms" | "reason">,
): StoredOverride {
  return {
    id: o.override_id,
    personId: o.person_id,
    start: Number(o.start_ms),
    end: Number(o.end_ms),
    ...(o.reason === null ? {} : { reason: o.reason }),
  };
}

async function loadPolicies(db: Trx, ids?: readonly string[]): Promise<EscalationPolicy[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom("oncall_escalation_policies").selectAll().orderBy("id");
  if (ids !== undefined) q = q.where("id", "in", ids);
  return (await q.execute()).map((r) => JSON.parse(r.document) as EscalationPolicy);
}

/**
 * Records a "notify the next on-call" action in the audit log and, in the same transaction, queues
 * the notification to that person when an outbox is given.
 */
export async function recordNotifyNext(
  db: Kysely<Database>,
  outbox: NotificationOutbox | undefined,
  entry: { scheduleId: string; personId: string; start: number; actor: string; intent?: NotificationIntent },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await audit(trx, Date.now(), entry.actor, "oncall.notify-next", entry.scheduleId, {
      personId: entry.personId,
      start: entry.start,
    });
    if (outbox === undefined || entry.intent === undefined) return false;
    await outbox.enqueue(trx, [entry.intent]);
    return true;
  });
}
