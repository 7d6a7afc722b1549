import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database } from "../db/database.js";
import type {
  CustomerImpact,
  DetectionSource,
  Incident,
  IncidentStatus,
  Intervention,
  RoleAssignment,
  SloBudgetConsumption,
  StatusChange,
} from "./incident.js";
import { IncidentConflictError } from "./incident-api-errors.js";
import type { IncidentsTable } from "./incidents.tables.js";
import type { PostmortemTrigger } from "./postmortem-requirement.js";
import type { SeverityLevel } from "./severity.js";
import type { TimelineEvent, TimelineEventKind } from "./timeline.js";

/** How an incident came to be declared. */
export type IncidentSource = "manual" | "page" | "detector";

const SOURCE_DETECTION: Readonly<Record<IncidentSource, DetectionSource>> = {
  manual: "person",
  page: "page",
  detector: "budget-burn",
};

/** An earlier published postmortem the incident repeats (same service, same cause). */
export interface RecurrenceLink {
  readonly postmortemId: string;
  readonly incidentId: string;
  readonly title: string;
  readonly matchedTags: readonly string[];
  readonly textSimilarity: number;
}

/** The evaluation made when the incident was last resolved. */
export interface StoredRequirement {
  readonly required: boolean;
  readonly triggers: readonly PostmortemTrigger[];
  readonly dueAt?: number;
}

/** An incident as stored: the pure model plus what the store adds. */
export interface StoredIncident {
  readonly incident: Incident;
  readonly number: number;
  readonly source: IncidentSource;
  readonly declaredBy: string;
  readonly pageIds: readonly string[];
  readonly relatedPostmortems: readonly RecurrenceLink[];
  readonly requirement?: StoredRequirement;
  readonly updatedAt: number;
  readonly version: number;
}

/** A stored timeline line (notes and entries nines wrote itself). */
export interface StoredTimelineEntry extends TimelineEvent {
  readonly id: number;
}

export interface IncidentFilter {
  readonly status?: IncidentStatus | "open";
  readonly service?: string;
  readonly severity?: SeverityLevel;
  readonly limit?: number;
}

/** The facts of a new incident (the id comes from the database). */
export type NewStoredIncident = Omit<StoredIncident, "incident" | "number" | "version" | "updatedAt"> & {
  readonly incident: Omit<Incident, "id">;
};

/** A change computed from the current state: the next state and the timeline lines it adds. */
export interface IncidentChange {
  readonly next: StoredIncident;
  readonly timeline?: readonly Omit<TimelineEvent, "ref">[] | undefined;
}

export function incidentId(n: number): string {
  return `inc-${n}`;
}

/** "inc-12" or "12" → 12; undefined for anything else. */
export function parseIncidentId(id: string): number | undefined {
  const m = /^(?:inc-)?([1-9][0-9]{0,14})$/i.exec(id.trim());
  return m ? Number(m[1]) : undefined;
}

export function detectionSourceOf(source: IncidentSource): DetectionSource {
  return SOURCE_DETECTION[source];
}

function parse<T>(text: string): T {
  return JSON.parse(text) as T;
}

function toStored(row: Selectable<IncidentsTable>): StoredIncident {
  const incident: Incident = {
    id: incidentId(row.id),
    title: row.title,
    severity: row.severity as SeverityLevel,
    status: row.status as IncidentStatus,
    openedAt: row.declared_at,
    ...(row.impact_started_at !== null ? { impactStartedAt: row.impact_started_at } : {}),
    ...(row.mitigated_at !== null ? { mitigatedAt: row.mitigated_at } : {}),
    ...(row.resolved_at !== null ? { resolvedAt: row.resolved_at } : {}),
    detection: {
      source: SOURCE_DETECTION[row.source as IncidentSource],
      at: row.detected_at,
      ...(row.detection_ref !== null ? { ref: row.detection_ref } : {}),
    },
    services: parse<string[]>(row.services),
    slos: parse<string[]>(row.slos),
    customerImpact: parse<CustomerImpact>(row.customer_impact),
    interventions: parse<Intervention[]>(row.interventions),
    budgetConsumed: parse<SloBudgetConsumption[]>(row.budget_consumed),
    causeTags: parse<string[]>(row.cause_tags),
    roles: parse<RoleAssignment[]>(row.roles),
    statusHistory: parse<StatusChange[]>(row.status_history),
  };
  const triggers = parse<PostmortemTrigger[]>(row.postmortem_triggers);
  return {
    incident,
    number: row.id,
    source: row.source as IncidentSource,
    declaredBy: row.declared_by,
    pageIds: parse<string[]>(row.page_ids),
    relatedPostmortems: parse<RecurrenceLink[]>(row.related_postmortems),
    ...(row.postmortem_required !== null
      ? {
          requirement: {
            required: row.postmortem_required === 1,
            triggers,
            ...(row.postmortem_due_at !== null ? { dueAt: row.postmortem_due_at } : {}),
          },
        }
      : {}),
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toRow(
  s: Omit<StoredIncident, "incident" | "number" | "version"> & { incident: Omit<Incident, "id"> },
) {
  const i = s.incident;
  return {
    title: i.title,
    severity: i.severity,
    status: i.status,
    source: s.source,
    declared_by: s.declaredBy,
    declared_at: i.openedAt,
    detected_at: i.detection.at,
    detection_ref: i.detection.ref ?? null,
    impact_started_at: i.impactStartedAt ?? null,
    mitigated_at: i.mitigatedAt ?? null,
    resolved_at: i.resolvedAt ?? null,
    updated_at: s.updatedAt,
    services: JSON.stringify(i.services),
    slos: JSON.stringify(i.slos),
    customer_impact: JSON.stringify(i.customerImpact),
    roles: JSON.stringify(i.roles),
    status_history: JSON.stringify(i.statusHistory),
    interventions: JSON.stringify(i.interventions),
    budget_consumed: JSON.stringify(i.budgetConsumed),
    cause_tags: JSON.stringify(i.causeTags),
    page_ids: JSON.stringify(s.pageIds),
    related_postmortems: JSON.stringify(s.relatedPostmortems),
    postmortem_required: s.requirement === undefined ? null : s.requirement.required ? 1 : 0,
    postmortem_triggers: JSON.stringify(s.requirement?.triggers ?? []),
    postmortem_due_at: s.requirement?.dueAt ?? null,
  };
}

type Db = Kysely<Database> | Transaction<Database>;

async function insertTimeline(
  db: Db,
  incident: number,
  entries: readonly Omit<TimelineEvent, "ref">[] | undefined,
  now: number,
): Promise<void> {
  if (!entries || entries.length === 0) return;
  await db
    .insertInto("incident_timeline")
    .values(
      entries.map((e) => ({
        incident_id: incident,
        at: e.at,
        kind: e.kind,
        text: e.text,
        author: e.actor ?? null,
        ref: null,
        created_at: now,
      })),
    )
    .execute();
}

async function replaceServices(db: Db, incident: number, services: readonly string[]): Promise<void> {
  await db.deleteFrom("incident_services").where("incident_id", "=", incident).execute();
  const unique = [...new Set(services)];
  if (unique.length > 0) {
    await db
      .insertInto("incident_services")
      .values(unique.map((service) => ({ incident_id: incident, service })))
      .execute();
  }
}

const MAX_ATTEMPTS = 5;

/** Incidents, their stored timeline lines and the detector's burn episodes. */
export function incidentStore(db: Kysely<Database>) {
  const get = async (n: number, trx: Db = db): Promise<StoredIncident | undefined> => {
    const row = await trx.selectFrom("incidents").selectAll().where("id", "=", n).executeTakeFirst();
    return row ? toStored(row) : undefined;
  };

  return {
    get: (n: number) => get(n),

    /**
     * Declares an incident and writes its first timeline lines in one transaction. With
     * `episode`, also opens the SLO's burn episode; when one is already open nothing is written
     * and `undefined` comes back (another run of the detector got there first).
     */
    async insert(
      input: NewStoredIncident,
      options: {
        readonly timeline?: readonly Omit<TimelineEvent, "ref">[];
        readonly episode?: { readonly sloId: string; readonly consumed: number };
        readonly now: number;
      },
    ): Promise<StoredIncident | undefined> {
      return db.transaction().execute(async (trx) => {
        if (options.episode) {
          const open = await trx
            .selectFrom("incident_burn_episodes")
            .select("slo_id")
            .where("slo_id", "=", options.episode.sloId)
            .where("ended_at", "is", null)
            .executeTakeFirst();
          if (open) return undefined;
          await trx
            .deleteFrom("incident_burn_episodes")
            .where("slo_id", "=", options.episode.sloId)
            .execute();
        }
        const { id } = await trx
          .insertInto("incidents")
          .values({ ...toRow({ ...input, updatedAt: options.now }), version: 1 })
          .returning("id")
          .executeTakeFirstOrThrow();
        await replaceServices(trx, id, input.incident.services);
        await insertTimeline(trx, id, options.timeline, options.now);
        if (options.episode) {
          await trx
            .insertInto("incident_burn_episodes")
            .values({
              slo_id: options.episode.sloId,
              incident_id: id,
              started_at: options.now,
              ended_at: null,
              consumed: options.episode.consumed,
            })
            .execute();
        }
        return get(id, trx);
      });
    },

    /**
     * Read-modify-write: `change` computes the next state from the current one; the write
     * happens only if nobody changed the incident in between (else it runs again on the new state).
     */
    async update(
      n: number,
      change: (current: StoredIncident) => IncidentChange | Promise<IncidentChange>,
      now: number,
    ): Promise<StoredIncident | undefined> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await get(n);
        if (!current) return undefined;
        const { next, timeline } = await change(current);
        const written = await db.transaction().execute(async (trx) => {
          const result = await trx
            .updateTable("incidents")
            .set({ ...toRow({ ...next, updatedAt: now }), version: current.version + 1 })
            .where("id", "=", n)
            .where("version", "=", current.version)
            .executeTakeFirst();
          if (Number(result.numUpdatedRows) !== 1) return false;
          await replaceServices(trx, n, next.incident.services);
          await insertTimeline(trx, n, timeline, now);
          return true;
        });
        if (written) return get(n);
      }
      throw new IncidentConflictError(`incident ${incidentId(n)} kept changing; retry`, {
        id: incidentId(n),
      });
    },

    async list(filter: IncidentFilter = {}): Promise<StoredIncident[]> {
      let query = db.selectFrom("incidents").selectAll("incidents");
      if (filter.status === "open") query = query.where("status", "!=", "resolved");
      else if (filter.status) query = query.where("status", "=", filter.status);
      if (filter.severity) query = query.where("severity", "=", filter.severity);
      if (filter.service) {
        const service = filter.service;
        query = query.where("id", "in", (eb) =>
          eb.selectFrom("incident_services").select("incident_id").where("service", "=", service),
        );
      }
      const rows = await query
        .orderBy("id", "desc")
        .limit(filter.limit ?? 500)
        .execute();
      return rows.map(toStored);
    },

    /** The first incident declared from this page (source `page`, detection ref = the page id). */
    async declaredFromPage(pageId: string): Promise<StoredIncident | undefined> {
      const row = await db
        .selectFrom("incidents")
        .selectAll()
        .where("source", "=", "page")
        .where("detection_ref", "=", pageId)
        .orderBy("id")
        .limit(1)
        .executeTakeFirst();
      return row ? toStored(row) : undefined;
    },

    /** Resolved incidents whose postmortem is required, for the overdue list. */
    async requiringPostmortem(): Promise<StoredIncident[]> {
      const rows = await db
        .selectFrom("incidents")
        .selectAll()
        .where("postmortem_required", "=", 1)
        .orderBy("postmortem_due_at")
        .execute();
      return rows.map(toStored);
    },

    async addTimeline(n: number, entry: Omit<TimelineEvent, "ref">, now: number): Promise<void> {
      await insertTimeline(db, n, [entry], now);
    },

    async timeline(n: number): Promise<StoredTimelineEntry[]> {
      const rows = await db
        .selectFrom("incident_timeline")
        .selectAll()
        .where("incident_id", "=", n)
        .orderBy("at")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        kind: r.kind as TimelineEventKind,
        text: r.text,
        ...(r.author !== null ? { actor: r.author } : {}),
        ...(r.ref !== null ? { ref: r.ref } : {}),
      }));
    },

    /** SLOs whose burn episode is still open (the detector declares nothing more for them). */
    async openEpisodes(): Promise<Array<{ sloId: string; incidentId: number; startedAt: number }>> {
      const rows = await db
        .selectFrom("incident_burn_episodes")
        .selectAll()
        .where("ended_at", "is", null)
        .execute();
      return rows.map((r) => ({ sloId: r.slo_id, incidentId: r.incident_id, startedAt: r.started_at }));
    },

    /** Closes an SLO's burn episode once its spend fell back to the threshold or below. */
    async endEpisode(sloId: string, at: number): Promise<void> {
      await db
        .updateTable("incident_burn_episodes")
        .set({ ended_at: at })
        .where("slo_id", "=", sloId)
        .where("ended_at", "is", null)
        .execute();
    },
  };
}

export type IncidentStore = ReturnType<typeof incidentStore>;
