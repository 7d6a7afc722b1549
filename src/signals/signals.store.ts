import type { Kysely, Selectable } from "kysely";
import type { Database } from "../db/database.js";
import type { AlertGroup } from "./grouping.js";
import type { RoutingConfigInput } from "./routing-schema.js";
import type { Signal, SignalLink } from "./signal.js";
import type { PagesTable, SignalEventsTable, SignalsTable } from "./signals.tables.js";

type Db = Kysely<Database>;

export type PageStatus = "triggered" | "acknowledged" | "resolved";
export type SignalStatus = "firing" | "resolved";

/** A signal's current state, as `GET /api/v1/signals` answers it. */
export interface StoredSignal {
  readonly fingerprint: string;
  readonly source: string;
  readonly service: string;
  readonly team: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly severity: string;
  readonly labels: Record<string, string>;
  readonly links: SignalLink[];
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly status: SignalStatus;
  readonly outcome: "page" | "ticket" | "log";
  readonly rule: { readonly path: string; readonly name: string };
  readonly groupKey: string | null;
  readonly muted: { readonly reason: string; readonly by: string } | null;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly received: number;
  readonly resolvedAt: number | null;
  readonly pageId: number | null;
  readonly ticketId: string | null;
}

export interface StoredSignalEvent {
  readonly id: number;
  readonly receivedAt: number;
  readonly severity: string;
  readonly labels: Record<string, string>;
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly outcome: string;
  readonly rule: { readonly path: string; readonly name: string };
  readonly groupKey: string | null;
  readonly muted: { readonly reason: string; readonly by: string } | null;
}

export interface StoredPage {
  readonly id: number;
  readonly fingerprint: string;
  readonly source: string;
  readonly service: string;
  readonly team: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly severity: string;
  readonly labels: Record<string, string>;
  readonly links: SignalLink[];
  readonly status: PageStatus;
  readonly createdAt: number;
  readonly ackedAt: number | null;
  readonly ackedBy: string | null;
  readonly resolvedAt: number | null;
  readonly resolvedBy: string | null;
  readonly escalationPolicyId: string | null;
  readonly route: { readonly path: string; readonly name: string };
  readonly receiver: string | null;
  readonly escalationNextAt: number | null;
  readonly actionable: boolean | null;
  readonly actionableReason: string | null;
  readonly reviewedBy: string | null;
}

export function signalFromRow(r: Selectable<SignalsTable>): StoredSignal {
  return {
    fingerprint: r.fingerprint,
    source: r.source,
    service: r.service,
    team: r.team,
    title: r.title,
    description: r.description,
    severity: r.severity,
    labels: JSON.parse(r.labels) as Record<string, string>,
    links: JSON.parse(r.links) as SignalLink[],
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status as SignalStatus,
    outcome: r.outcome as StoredSignal["outcome"],
    rule: { path: r.rule_path, name: r.rule_name },
    groupKey: r.group_key,
    muted: r.muted_reason === null ? null : { reason: r.muted_reason, by: r.muted_by ?? "" },
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    received: r.received,
    resolvedAt: r.resolved_at,
    pageId: r.page_id,
    ticketId: r.ticket_id,
  };
}

/** The signal as the pure core sees it, rebuilt from a received event. */
export function signalOfEvent(r: Selectable<SignalEventsTable>): Signal {
  return {
    source: r.source,
    service: r.service,
    ...(r.team === null ? {} : { team: r.team }),
    title: r.title,
    ...(r.description === null ? {} : { description: r.description }),
    severity: r.severity,
    labels: JSON.parse(r.labels) as Record<string, string>,
    fingerprint: r.fingerprint,
    links: JSON.parse(r.links) as SignalLink[],
    startsAt: r.starts_at,
    ...(r.ends_at === null ? {} : { endsAt: r.ends_at }),
  };
}

export function pageFromRow(r: Selectable<PagesTable>): StoredPage {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    source: r.source,
    service: r.service,
    team: r.team,
    title: r.title,
    description: r.description,
    severity: r.severity,
    labels: JSON.parse(r.labels) as Record<string, string>,
    links: JSON.parse(r.links) as SignalLink[],
    status: r.status as PageStatus,
    createdAt: r.created_at,
    ackedAt: r.acked_at,
    ackedBy: r.acked_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    escalationPolicyId: r.escalation_policy_id,
    route: { path: r.route_path, name: r.route_name },
    receiver: r.receiver,
    escalationNextAt: r.escalation_next_at,
    actionable: r.actionable === null ? null : r.actionable === 1,
    actionableReason: r.actionable_reason,
    reviewedBy: r.reviewed_by,
  };
}

// SQLite binds at most 32,766 parameters per statement.
const IN_CHUNK = 500;

/** Name prefix of the `signal_settings` rows that ask for an incident for a page. */
const INCIDENT_REQUEST = "incident-request:";

/** A page opened on a route with `declareIncident`, waiting for its incident. */
export interface IncidentRequest {
  readonly pageId: number;
  /** SEV1…SEV4, from the route. */
  readonly severity: string;
  /** The route's name. */
  readonly route: string;
  /** When a replica took it on (null while nobody has). */
  readonly claimedAt: number | null;
  /** The stored value, for the compare-and-set claim. */
  readonly raw: string;
}

/** SQL of the signals domain: routing versions, signal state and history, pages, grouping state. */
export function signalsStore(db: Db) {
  return {
    async latestRouting(
      trx: Db = db,
    ): Promise<{ version: number; input: RoutingConfigInput; at: number; by: string } | undefined> {
      const row = await trx
        .selectFrom("signal_routing_configs")
        .selectAll()
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst();
      return row
        ? {
            version: row.version,
            input: JSON.parse(row.config_json) as RoutingConfigInput,
            at: row.created_at,
            by: row.created_by,
          }
        : undefined;
    },

    async latestRoutingVersion(): Promise<number> {
      const row = await db
        .selectFrom("signal_routing_configs")
        .select((eb) => eb.fn.max("version").as("v"))
        .executeTakeFirst();
      return Number(row?.v ?? 0);
    },

    async saveRouting(input: RoutingConfigInput, by: string, now: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const current = await this.latestRouting(trx);
        const version = (current?.version ?? 0) + 1;
        await trx
          .insertInto("signal_routing_configs")
          .values({ version, config_json: JSON.stringify(input), created_at: now, created_by: by })
          .execute();
        return version;
      });
    },

    async signalRows(
      trx: Db,
      fingerprints: readonly string[],
    ): Promise<Map<string, Selectable<SignalsTable>>> {
      const out = new Map<string, Selectable<SignalsTable>>();
      const unique = [...new Set(fingerprints)];
      for (let i = 0; i < unique.length; i += IN_CHUNK) {
        const rows = await trx
          .selectFrom("signals")
          .selectAll()
          .where("fingerprint", "in", unique.slice(i, i + IN_CHUNK))
          .execute();
        for (const r of rows) out.set(r.fingerprint, r);
      }
      return out;
    },

    /** Firing signals, optionally only of some outcomes and services. */
    async firingSignals(
      trx: Db = db,
      scope: { outcomes?: readonly string[]; services?: readonly string[] } = {},
    ): Promise<Selectable<SignalsTable>[]> {
      let q = trx.selectFrom("signals").selectAll().where("status", "=", "firing");
      if (scope.outcomes) {
        if (scope.outcomes.length === 0) return [];
        q = q.where("outcome", "in", scope.outcomes);
      }
      if (scope.services) {
        if (scope.services.length === 0) return [];
        if (scope.services.length > IN_CHUNK)
          return (await q.execute()).filter((r) => scope.services?.includes(r.service));
        q = q.where("service", "in", scope.services);
      }
      return q.execute();
    },

    async listSignals(
      filter: {
        status?: SignalStatus;
        outcome?: string;
        service?: string;
        source?: string;
        team?: string;
        limit?: number;
      } = {},
    ): Promise<StoredSignal[]> {
      let q = db.selectFrom("signals").selectAll();
      if (filter.status) q = q.where("status", "=", filter.status);
      if (filter.outcome) q = q.where("outcome", "=", filter.outcome);
      if (filter.service) q = q.where("service", "=", filter.service);
      if (filter.source) q = q.where("source", "=", filter.source);
      if (filter.team) q = q.where("team", "=", filter.team);
      const rows = await q
        .orderBy("last_seen_at", "desc")
        .limit(filter.limit ?? 200)
        .execute();
      return rows.map(signalFromRow);
    },

    async signal(fingerprint: string): Promise<StoredSignal | undefined> {
      const row = await db
        .selectFrom("signals")
        .selectAll()
        .where("fingerprint", "=", fingerprint)
        .executeTakeFirst();
      return row ? signalFromRow(row) : undefined;
    },

    async signalEvents(fingerprint: string, limit = 50): Promise<StoredSignalEvent[]> {
      const rows = await db
        .selectFrom("signal_events")
        .selectAll()
        .where("fingerprint", "=", fingerprint)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        receivedAt: r.received_at,
        severity: r.severity,
        labels: JSON.parse(r.labels) as Record<string, string>,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        outcome: r.outcome,
        rule: { path: r.rule_path, name: r.rule_name },
        groupKey: r.group_key,
        muted: r.muted_reason === null ? null : { reason: r.muted_reason, by: r.muted_by ?? "" },
      }));
    },

    async eventsAfter(cursor: number, limit: number): Promise<Selectable<SignalEventsTable>[]> {
      return db
        .selectFrom("signal_events")
        .selectAll()
        .where("id", ">", cursor)
        .orderBy("id")
        .limit(limit)
        .execute();
    },

    async pages(
      filter: { status?: PageStatus[]; service?: string; limit?: number } = {},
    ): Promise<StoredPage[]> {
      let q = db.selectFrom("pages").selectAll();
      if (filter.status && filter.status.length > 0) q = q.where("status", "in", filter.status);
      if (filter.service) q = q.where("service", "=", filter.service);
      const rows = await q
        .orderBy("id", "desc")
        .limit(filter.limit ?? 200)
        .execute();
      return rows.map(pageFromRow);
    },

    async page(id: number, trx: Db = db): Promise<StoredPage | undefined> {
      const row = await trx.selectFrom("pages").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? pageFromRow(row) : undefined;
    },

    async reviewedPages(since: number): Promise<StoredPage[]> {
      const rows = await db
        .selectFrom("pages")
        .selectAll()
        .where("actionable", "is not", null)
        .where("created_at", ">=", since)
        .execute();
      return rows.map(pageFromRow);
    },

    /**
     * Pages of these services that were opened, acknowledged or resolved in `[from, to]`
     * (for incident timelines), oldest first.
     */
    async pagesTouching(
      services: readonly string[],
      from: number,
      to: number,
      limit = 500,
    ): Promise<StoredPage[]> {
      const unique = [...new Set(services)].slice(0, IN_CHUNK);
      if (unique.length === 0) return [];
      const rows = await db
        .selectFrom("pages")
        .selectAll()
        .where("service", "in", unique)
        .where((eb) =>
          eb.or([
            eb.and([eb("created_at", ">=", from), eb("created_at", "<=", to)]),
            eb.and([eb("acked_at", ">=", from), eb("acked_at", "<=", to)]),
            eb.and([eb("resolved_at", ">=", from), eb("resolved_at", "<=", to)]),
          ]),
        )
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.reverse().map(pageFromRow);
    },

    /**
     * When each page of some teams was created in `[from, to)`, oldest first (for pages per
     * on-call shift): a page counts when its team is one of `teams`, or when it has no team and
     * its service is one of `services`.
     */
    async pageTimes(
      owners: { readonly teams: readonly string[]; readonly services: readonly string[] },
      from: number,
      to: number,
      limit = 100_000,
    ): Promise<{ id: number; createdAt: number; service: string; team: string | null }[]> {
      const teams = [...new Set(owners.teams)].slice(0, IN_CHUNK);
      const services = [...new Set(owners.services)].slice(0, IN_CHUNK);
      if (teams.length === 0 && services.length === 0) return [];
      const rows = await db
        .selectFrom("pages")
        .select(["id", "created_at", "service", "team"])
        .where("created_at", ">=", from)
        .where("created_at", "<", to)
        .where((eb) => {
          const either = [];
          if (teams.length > 0) either.push(eb("team", "in", teams));
          if (services.length > 0)
            either.push(eb.and([eb("team", "is", null), eb("service", "in", services)]));
          return eb.or(either);
        })
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        createdAt: Number(r.created_at),
        service: r.service,
        team: r.team,
      }));
    },

    /** How many pages of the service were open at some time in `[from, to]`. */
    async countPagesOpenBetween(service: string, from: number, to: number): Promise<number> {
      const row = await db
        .selectFrom("pages")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("service", "=", service)
        .where("created_at", "<=", to)
        .where((eb) => eb.or([eb("resolved_at", "is", null), eb("resolved_at", ">=", from)]))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /**
     * Signals of these services received in `[from, to]`, with their receipts in that range
     * (oldest first): the signal rows come from `signals` (one per fingerprint), the receipts
     * through the fingerprint index of `signal_events`.
     */
    async receivedBetween(
      services: readonly string[],
      from: number,
      to: number,
      limits: { signals?: number; receiptsPerSignal?: number } = {},
    ): Promise<{ signal: StoredSignal; receipts: StoredSignalEvent[] }[]> {
      const unique = [...new Set(services)].slice(0, IN_CHUNK);
      if (unique.length === 0) return [];
      const rows = await db
        .selectFrom("signals")
        .selectAll()
        .where("service", "in", unique)
        .where("last_seen_at", ">=", from)
        .where("first_seen_at", "<=", to)
        .orderBy("last_seen_at", "desc")
        .limit(limits.signals ?? 200)
        .execute();
      const out: { signal: StoredSignal; receipts: StoredSignalEvent[] }[] = [];
      for (const r of rows) {
        const events = await db
          .selectFrom("signal_events")
          .selectAll()
          .where("fingerprint", "=", r.fingerprint)
          .where("received_at", ">=", from)
          .where("received_at", "<=", to)
          .orderBy("id", "desc")
          .limit(limits.receiptsPerSignal ?? 1000)
          .execute();
        out.push({
          signal: signalFromRow(r),
          receipts: events.reverse().map((e) => ({
            id: e.id,
            receivedAt: e.received_at,
            severity: e.severity,
            labels: JSON.parse(e.labels) as Record<string, string>,
            startsAt: e.starts_at,
            endsAt: e.ends_at,
            outcome: e.outcome,
            rule: { path: e.rule_path, name: e.rule_name },
            groupKey: e.group_key,
            muted: e.muted_reason === null ? null : { reason: e.muted_reason, by: e.muted_by ?? "" },
          })),
        });
      }
      return out;
    },

    /** Asks for an incident for a page just opened on a route with `declareIncident` (in the page's transaction). */
    async requestIncident(trx: Db, pageId: number, severity: string, route: string): Promise<void> {
      await this.putSetting(
        trx,
        `${INCIDENT_REQUEST}${pageId}`,
        JSON.stringify({ severity, route, claimedAt: null }),
      );
    },

    /** Pages waiting for their incident (see {@link requestIncident}). */
    async incidentRequests(): Promise<IncidentRequest[]> {
      const rows = await db
        .selectFrom("signal_settings")
        .select(["name", "value"])
        .where("name", "like", `${INCIDENT_REQUEST}%`)
        .execute();
      return rows.flatMap((r) => {
        const pageId = Number(r.name.slice(INCIDENT_REQUEST.length));
        if (!Number.isSafeInteger(pageId)) return [];
        const v = JSON.parse(r.value) as Omit<IncidentRequest, "pageId" | "raw">;
        return [{ pageId, severity: v.severity, route: v.route, claimedAt: v.claimedAt, raw: r.value }];
      });
    },

    /** Claims a request (compare-and-set on its stored value); false when another replica got it first. */
    async claimIncidentRequest(request: IncidentRequest, now: number): Promise<boolean> {
      const result = await db
        .updateTable("signal_settings")
        .set({
          value: JSON.stringify({ severity: request.severity, route: request.route, claimedAt: now }),
        })
        .where("name", "=", `${INCIDENT_REQUEST}${request.pageId}`)
        .where("value", "=", request.raw)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The request is done (its incident exists, or its page is gone). */
    async dropIncidentRequest(pageId: number): Promise<void> {
      await db.deleteFrom("signal_settings").where("name", "=", `${INCIDENT_REQUEST}${pageId}`).execute();
    },

    async pagesDueForEscalation(now: number, limit = 200): Promise<StoredPage[]> {
      const rows = await db
        .selectFrom("pages")
        .selectAll()
        .where("status", "=", "triggered")
        .where("escalation_next_at", "<=", now)
        .orderBy("escalation_next_at")
        .limit(limit)
        .execute();
      return rows.map(pageFromRow);
    },

    async sentKeys(pageId: number, trx: Db = db): Promise<{ key: string; personId: string | null }[]> {
      const rows = await trx
        .selectFrom("page_escalation_sent")
        .select(["key", "person_id"])
        .where("page_id", "=", pageId)
        .execute();
      return rows.map((r) => ({ key: r.key, personId: r.person_id }));
    },

    async groups(): Promise<AlertGroup[]> {
      const rows = await db.selectFrom("signal_groups").select("state_json").execute();
      return rows.map((r) => JSON.parse(r.state_json) as AlertGroup);
    },

    async saveGroups(trx: Db, changed: readonly AlertGroup[], removed: readonly string[]): Promise<void> {
      for (let i = 0; i < removed.length; i += IN_CHUNK) {
        await trx
          .deleteFrom("signal_groups")
          .where("key", "in", removed.slice(i, i + IN_CHUNK))
          .execute();
      }
      for (const g of changed) {
        const row = { key: g.key, state_json: JSON.stringify(g), next_flush_at: g.nextFlushAt };
        await trx
          .insertInto("signal_groups")
          .values(row)
          .onConflict((oc) =>
            oc.column("key").doUpdateSet({ state_json: row.state_json, next_flush_at: row.next_flush_at }),
          )
          .execute();
      }
    },

    async setting(name: string, trx: Db = db): Promise<string | undefined> {
      const row = await trx
        .selectFrom("signal_settings")
        .select("value")
        .where("name", "=", name)
        .executeTakeFirst();
      return row?.value;
    },

    async putSetting(trx: Db, name: string, value: string): Promise<void> {
      await trx
        .insertInto("signal_settings")
        .values({ name, value })
        .onConflict((oc) => oc.column("name").doUpdateSet({ value }))
        .execute();
    },

    /** Stores `value` unless the setting exists; returns what is stored either way. */
    async settingOrInit(name: string, value: string): Promise<string> {
      await db
        .insertInto("signal_settings")
        .values({ name, value })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      return (await this.setting(name)) ?? value;
    },
  };
}

export type SignalsStore = ReturnType<typeof signalsStore>;
