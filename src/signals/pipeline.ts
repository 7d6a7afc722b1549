import type { FastifyBaseLogger } from "fastify";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../db/database.js";
import type { NotificationIntent, NotificationOutbox } from "../notifications/notification.js";
import type { OncallDirectory } from "../oncall/directory.js";
import { resolvesAt } from "./auto-resolve.js";
import { type Classification, classifySignal, type DecidingRule } from "./classify.js";
import type { AlertGroup, GroupingState, GroupNotification } from "./grouping.js";
import { stepGrouping } from "./grouping.js";
import { type FiringAlert, inhibitionIndex } from "./inhibition.js";
import { activeMaintenance, type MaintenanceWindow } from "./maintenance-window.js";
import { matchesAll } from "./matcher.js";
import { pageEventIntents } from "./page-messages.js";
import type { InhibitRule, Route, RoutingConfig } from "./routing-config.js";
import type { RoutingRuntime } from "./routing-runtime.js";
import { type Labels, type Outcome, type Signal, signalLabels } from "./signal.js";
import { pageFromRow, type SignalsStore, signalFromRow, signalOfEvent } from "./signals.store.js";
import type { SignalEventsTable, SignalsTable } from "./signals.tables.js";
import { type Silence, silencedBy } from "./silence.js";

type Db = Kysely<Database>;

/** Active silences (implemented over the silences store). */
export interface SilenceSource {
  active(now: number): Promise<readonly Silence[]>;
}

/** Active maintenance windows kept outside the routing config (implemented over the maintenance store). */
export interface MaintenanceSource {
  active(now: number): Promise<readonly MaintenanceWindow[]>;
}

/** What a ticket opened from a signal carries. */
export interface SignalTicket {
  readonly fingerprint: string;
  readonly source: string;
  readonly team: string | null;
  readonly service: string;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly priority: "high" | "normal" | "low";
  readonly dueAt: number;
  readonly labels: Labels;
  readonly links: Signal["links"];
  /** The routing rule that made the signal a ticket. */
  readonly rule: DecidingRule;
  readonly openedAt: number;
}

/** Opens a ticket inside the caller's transaction and returns its id. */
export interface TicketSink {
  openFromSignal(trx: Db, ticket: SignalTicket): Promise<string>;
}

/** One signal classified as a log line. */
export interface SignalLogEntry {
  readonly at: number;
  readonly fingerprint: string;
  readonly source: string;
  readonly service: string;
  readonly team: string | null;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly labels: Labels;
  readonly rule: DecidingRule;
  readonly resolved: boolean;
}

/** Appends to the searchable event log inside the caller's transaction. */
export interface EventLogSink {
  append(trx: Db, entry: SignalLogEntry): Promise<void>;
}

export const NO_SILENCES: SilenceSource = { active: async () => [] };
export const NO_MAINTENANCE: MaintenanceSource = { active: async () => [] };

export interface SignalPipelineDeps {
  readonly db: Db;
  readonly store: SignalsStore;
  readonly routing: RoutingRuntime;
  readonly outbox: NotificationOutbox;
  readonly tickets: TicketSink;
  readonly eventLog: EventLogSink;
  readonly silences: SilenceSource;
  readonly maintenance: MaintenanceSource;
  readonly directory: OncallDirectory;
  readonly now: () => number;
  readonly log: FastifyBaseLogger;
  /** How long a ticket opened from a signal has before it is due. */
  readonly ticketDueMs: number;
  /**
   * Called after a commit that opened pages on routes with `declareIncident` (their incident
   * requests are stored in the same transaction as the page; a leader sweep picks up any this
   * call misses). Errors are logged, never thrown to the sender.
   */
  readonly onIncidentRequested?: ((pageIds: readonly number[]) => Promise<unknown>) | undefined;
}

export interface IngestResult {
  readonly fingerprint: string;
  readonly outcome: Outcome;
  readonly rule: DecidingRule;
  readonly status: "firing" | "resolved";
  readonly duplicate: boolean;
  readonly muted: { readonly reason: string; readonly by: string } | null;
  readonly pageId: number | null;
  readonly ticketId: string | null;
}

interface Owner {
  readonly team: string | null;
  readonly escalation: string | null;
}

interface Context {
  readonly now: number;
  readonly config: RoutingConfig;
  readonly silences: readonly Silence[];
  readonly owners: ReadonlyMap<string, Owner>;
}

const ownerKey = (route: Route, signal: Signal): string =>
  `${route.team ?? ""}\u0000${route.escalation ?? ""}\u0000${signal.team ?? ""}\u0000${signal.service}`;

/** Serializes the work of one process on signal state (a second replica's conflicting insert fails and is retried by its sender). */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * The signal pipeline: classify each received signal with the routing tree, deduplicate it by
 * fingerprint, hold it back under a silence, inhibition or maintenance window, and open what it
 * asks for (a page, a ticket or a log line), all in one transaction per call. The leader's tasks
 * group signals into receiver notifications and resolve signals past their end or quiet period.
 */
export class SignalPipeline {
  private readonly mutex = new Mutex();
  private grouping: GroupingState | null = null;

  constructor(private readonly deps: SignalPipelineDeps) {}

  /** Classifies and stores signals (already validated), in one transaction. */
  async ingest(signals: readonly Signal[]): Promise<IngestResult[]> {
    const { now, config, silences } = await this.context();
    const classified = signals.map((signal) => ({ signal, c: classifySignal(config, signal) }));
    const owners = await this.owners(classified.filter((x) => x.c.outcome === "page"));
    const ctx: Context = { now, config, silences, owners };
    const writes: Writes = { rows: new Map(), events: [], incidentPages: [] };
    const results = await this.mutex.run(() =>
      this.deps.db.transaction().execute(async (trx) => {
        const existing = await this.deps.store.signalRows(
          trx,
          signals.map((s) => s.fingerprint),
        );
        const inBatch = new Set(signals.map((s) => s.fingerprint));
        const firing = classified
          .filter((x) => !isEnded(x.signal, now))
          .map((x) => ({ fingerprint: x.signal.fingerprint, labels: labelsWithClass(x.signal, x.c) }));
        // Inhibition sees every firing signal that could hold one of this batch back: the stored ones and this batch's.
        const scope = inhibitionScope(config.inhibitRules, firing);
        const stored =
          scope === null
            ? []
            : (await this.deps.store.firingSignals(trx, scope)).filter((r) => !inBatch.has(r.fingerprint));
        const inhibited = inhibitionIndex(config.inhibitRules, [...stored.map(firingAlertOfRow), ...firing]);
        writes.rows.clear();
        writes.events.length = 0;
        writes.incidentPages.length = 0;
        const results: IngestResult[] = [];
        for (const { signal, c } of classified) {
          results.push(await this.applyOne(trx, ctx, signal, c, existing, inhibited, true, writes));
        }
        await this.flush(trx, writes);
        return results;
      }),
    );
    await this.incidentsRequested(writes.incidentPages);
    return results;
  }

  /** Hands pages that asked for an incident to the incidents side, after their commit. */
  private async incidentsRequested(pageIds: readonly number[]): Promise<void> {
    if (pageIds.length === 0 || this.deps.onIncidentRequested === undefined) return;
    try {
      await this.deps.onIncidentRequested(pageIds);
    } catch (err) {
      this.deps.log.warn({ err, pageIds }, "declaring incidents for new pages failed; the leader retries");
    }
  }

  /**
   * Leader, periodically: resolve firing signals whose `endsAt` passed or whose source's quiet
   * period elapsed since they were last seen, and open what held signals ask for once their
   * silence, inhibition or maintenance window is over.
   */
  async reconcile(): Promise<{ resolved: number; released: number }> {
    const { now, config, silences } = await this.context();
    return this.mutex.run(async () => {
      const rows = await this.deps.store.firingSignals();
      const due = rows.filter((r) => {
        const at = resolvesAt(config.autoResolve, endsOf(r), r.last_seen_at);
        return at !== null && at <= now;
      });
      const held = rows.filter(
        (r) => r.muted_reason !== null && r.page_id === null && r.ticket_id === null && !due.includes(r),
      );
      if (due.length === 0 && held.length === 0) return { resolved: 0, released: 0 };
      const heldSignals = held.map((r) => ({
        signal: signalOfRow(r),
        c: classifySignal(config, signalOfRow(r)),
      }));
      const owners = await this.owners(heldSignals.filter((x) => x.c.outcome === "page"));
      const ctx: Context = { now, config, silences, owners };
      let released = 0;
      const writes: Writes = { rows: new Map(), events: [], incidentPages: [] };
      await this.deps.db.transaction().execute(async (trx) => {
        for (const r of due) {
          const at = Math.min(now, resolvesAt(config.autoResolve, endsOf(r), r.last_seen_at) ?? now);
          await trx
            .updateTable("signals")
            .set({ status: "resolved", resolved_at: at, muted_reason: null, muted_by: null })
            .where("fingerprint", "=", r.fingerprint)
            .where("status", "=", "firing")
            .execute();
          if (r.page_id !== null) await this.resolvePage(trx, r.page_id, "auto-resolve", now);
        }
        const inhibited = inhibitionIndex(
          config.inhibitRules,
          rows.filter((r) => !due.includes(r)).map(firingAlertOfRow),
        );
        const existing = new Map(held.map((r) => [r.fingerprint, r]));
        writes.rows.clear();
        writes.events.length = 0;
        writes.incidentPages.length = 0;
        for (const { signal, c } of heldSignals) {
          const result = await this.applyOne(trx, ctx, signal, c, existing, inhibited, false, writes);
          if (result.muted === null) released += 1;
        }
        await this.flush(trx, writes);
      });
      await this.incidentsRequested(writes.incidentPages);
      return { resolved: due.length, released };
    });
  }

  /**
   * Leader, every second or so: feed signals received since the last step into the grouping state
   * machine, persist its groups (so a restart keeps their timers) and queue the notifications it
   * emits for each route's receiver, in one transaction.
   */
  async groupingTick(batch = 20_000): Promise<{ notifications: number; signals: number }> {
    const { store, db, outbox } = this.deps;
    const { now, config, silences } = await this.context();
    const before = this.grouping ?? { groups: await store.groups() };
    const cursor = Number((await store.setting("grouping.cursor")) ?? 0);
    const events = await store.eventsAfter(cursor, batch);
    const out = stepGrouping(config, before, { now, signals: events.map(signalOfEvent), silences });
    const previous = new Map(before.groups.map((g) => [g.key, g]));
    const changed: AlertGroup[] = out.state.groups.filter((g) => previous.get(g.key) !== g);
    const kept = new Set(out.state.groups.map((g) => g.key));
    const removed = [...previous.keys()].filter((k) => !kept.has(k));
    const intents = out.notifications.flatMap((n) => groupIntents(n));
    try {
      await db.transaction().execute(async (trx) => {
        await store.saveGroups(trx, changed, removed);
        const last = events.at(-1);
        if (last !== undefined) await store.putSetting(trx, "grouping.cursor", String(last.id));
        if (intents.length > 0) await outbox.enqueue(trx, intents);
      });
      this.grouping = out.state;
    } catch (error) {
      this.grouping = null;
      throw error;
    }
    return { notifications: intents.length, signals: events.length };
  }

  /** Forgets the in-memory grouping state (it is reloaded from the database on the next tick). */
  dropGroupingCache(): void {
    this.grouping = null;
  }

  private async context(): Promise<{ now: number; config: RoutingConfig; silences: readonly Silence[] }> {
    const now = this.deps.now();
    const [routing, silences, windows] = await Promise.all([
      this.deps.routing.current(),
      this.deps.silences.active(now),
      this.deps.maintenance.active(now),
    ]);
    const config =
      windows.length === 0
        ? routing.config
        : {
            ...routing.config,
            maintenanceWindows: [...routing.config.maintenanceWindows, ...windows],
          };
    return { now, config, silences };
  }

  /** The team and escalation policy of each page-bound signal, looked up before the transaction. */
  private async owners(items: readonly { signal: Signal; c: Classification }[]): Promise<Map<string, Owner>> {
    const { directory } = this.deps;
    const owners = new Map<string, Owner>();
    for (const { signal, c } of items) {
      const key = ownerKey(c.route, signal);
      if (owners.has(key)) continue;
      const teamRef = c.route.team ?? signal.team ?? null;
      try {
        const team =
          teamRef !== null ? await directory.team(teamRef) : await directory.teamForService(signal.service);
        owners.set(key, {
          team: team?.id ?? teamRef,
          escalation: c.route.escalation ?? team?.escalationPolicyId ?? null,
        });
      } catch (err) {
        this.deps.log.warn({ err, service: signal.service }, "on-call directory lookup failed");
        owners.set(key, { team: teamRef, escalation: c.route.escalation });
      }
    }
    return owners;
  }

  private async applyOne(
    trx: Db,
    ctx: Context,
    signal: Signal,
    c: Classification,
    existing: Map<string, Selectable<SignalsTable>>,
    inhibited: ReturnType<typeof inhibitionIndex>,
    receipt: boolean,
    writes: Writes,
  ): Promise<IngestResult> {
    const { now, config } = ctx;
    const prior = existing.get(signal.fingerprint);
    const ended = isEnded(signal, now);
    const newEpisode = prior === undefined || prior.status === "resolved";
    const labels = labelsWithClass(signal, c);
    let muted: { reason: string; by: string } | null = null;
    if (!ended) {
      const silence = silencedBy(ctx.silences, labels, now);
      if (silence !== undefined) muted = { reason: "silenced", by: silence.id };
      else {
        const inhibition = inhibited({ fingerprint: signal.fingerprint, labels });
        if (inhibition !== undefined) muted = { reason: "inhibited", by: inhibition.rule.name };
        else {
          const w = activeMaintenance(config.maintenanceWindows, signal.service, c.outcome, now);
          if (w !== undefined) muted = { reason: "maintenance", by: w.id };
        }
      }
    }
    let pageId = newEpisode ? null : (prior?.page_id ?? null);
    let ticketId = newEpisode ? null : (prior?.ticket_id ?? null);
    if (!ended && muted === null && c.outcome === "page" && pageId === null) {
      pageId = await this.openPage(trx, ctx, signal, c);
      if (c.route.declareIncident !== null) {
        await this.deps.store.requestIncident(trx, pageId, c.route.declareIncident, c.route.name);
        writes.incidentPages.push(pageId);
      }
    }
    if (!ended && muted === null && c.outcome === "ticket" && ticketId === null) {
      ticketId = await this.deps.tickets.openFromSignal(trx, {
        fingerprint: signal.fingerprint,
        source: signal.source,
        team: c.route.team ?? signal.team ?? null,
        service: signal.service,
        title: signal.title,
        description: signal.description ?? "",
        severity: signal.severity,
        priority: priorityOf(signal.severity),
        dueAt: now + this.deps.ticketDueMs,
        labels: signal.labels,
        links: signal.links,
        rule: c.rule,
        openedAt: now,
      });
    }
    if (c.outcome === "log" && receipt) {
      await this.deps.eventLog.append(trx, {
        at: now,
        fingerprint: signal.fingerprint,
        source: signal.source,
        service: signal.service,
        team: signal.team ?? null,
        title: signal.title,
        description: signal.description ?? "",
        severity: signal.severity,
        labels: signal.labels,
        rule: c.rule,
        resolved: ended,
      });
    }
    if (ended && !newEpisode && prior?.page_id != null) {
      await this.resolvePage(trx, prior.page_id, `signal:${signal.source}`, now);
    }
    const groupKey = c.outcome === "log" ? null : groupKeyOf(c.route, labels);
    const row = {
      source: signal.source,
      service: signal.service,
      team: signal.team ?? null,
      title: signal.title,
      description: signal.description ?? null,
      severity: signal.severity,
      labels: JSON.stringify(signal.labels),
      links: JSON.stringify(signal.links),
      starts_at: signal.startsAt,
      ends_at: signal.endsAt ?? null,
      status: ended ? "resolved" : "firing",
      outcome: c.outcome,
      rule_path: c.rule.path,
      rule_name: c.rule.name,
      group_key: groupKey,
      muted_reason: muted?.reason ?? null,
      muted_by: muted?.by ?? null,
      first_seen_at: newEpisode ? now : (prior?.first_seen_at ?? now),
      last_seen_at: receipt ? now : (prior?.last_seen_at ?? now),
      received: receipt ? (newEpisode ? 1 : (prior?.received ?? 0) + 1) : (prior?.received ?? 1),
      resolved_at: ended ? (signal.endsAt ?? now) : null,
      page_id: pageId,
      ticket_id: ticketId,
    };
    const full = { fingerprint: signal.fingerprint, ...row };
    existing.set(signal.fingerprint, full);
    writes.rows.set(signal.fingerprint, full);
    if (receipt) {
      writes.events.push({
        fingerprint: signal.fingerprint,
        received_at: now,
        source: row.source,
        service: row.service,
        team: row.team,
        title: row.title,
        description: row.description,
        severity: row.severity,
        labels: row.labels,
        links: row.links,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        outcome: row.outcome,
        rule_path: row.rule_path,
        rule_name: row.rule_name,
        group_key: row.group_key,
        muted_reason: row.muted_reason,
        muted_by: row.muted_by,
      });
    }
    return {
      fingerprint: signal.fingerprint,
      outcome: c.outcome,
      rule: c.rule,
      status: ended ? "resolved" : "firing",
      duplicate: !newEpisode && receipt,
      muted,
      pageId,
      ticketId,
    };
  }

  /** Writes the batch's signal states (one upsert per chunk) and receipts (one insert per chunk). */
  private async flush(trx: Db, writes: Writes): Promise<void> {
    const rows = [...writes.rows.values()];
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
      await trx
        .insertInto("signals")
        .values(rows.slice(i, i + WRITE_CHUNK))
        .onConflict((oc) =>
          oc.column("fingerprint").doUpdateSet((eb) => ({
            source: eb.ref("excluded.source"),
            service: eb.ref("excluded.service"),
            team: eb.ref("excluded.team"),
            title: eb.ref("excluded.title"),
            description: eb.ref("excluded.description"),
            severity: eb.ref("excluded.severity"),
            labels: eb.ref("excluded.labels"),
            links: eb.ref("excluded.links"),
            starts_at: eb.ref("excluded.starts_at"),
            ends_at: eb.ref("excluded.ends_at"),
            status: eb.ref("excluded.status"),
            outcome: eb.ref("excluded.outcome"),
            rule_path: eb.ref("excluded.rule_path"),
            rule_name: eb.ref("excluded.rule_name"),
            group_key: eb.ref("excluded.group_key"),
            muted_reason: eb.ref("excluded.muted_reason"),
            muted_by: eb.ref("excluded.muted_by"),
            first_seen_at: eb.ref("excluded.first_seen_at"),
            last_seen_at: eb.ref("excluded.last_seen_at"),
            received: eb.ref("excluded.received"),
            resolved_at: eb.ref("excluded.resolved_at"),
            page_id: eb.ref("excluded.page_id"),
            ticket_id: eb.ref("excluded.ticket_id"),
          })),
        )
        .execute();
    }
    for (let i = 0; i < writes.events.length; i += WRITE_CHUNK) {
      await trx
        .insertInto("signal_events")
        .values(writes.events.slice(i, i + WRITE_CHUNK))
        .execute();
    }
  }

  private async openPage(trx: Db, ctx: Context, signal: Signal, c: Classification): Promise<number> {
    const owner = ctx.owners.get(ownerKey(c.route, signal)) ?? {
      team: c.route.team ?? signal.team ?? null,
      escalation: c.route.escalation,
    };
    const inserted = await trx
      .insertInto("pages")
      .values({
        fingerprint: signal.fingerprint,
        source: signal.source,
        service: signal.service,
        team: owner.team,
        title: signal.title,
        description: signal.description ?? null,
        severity: signal.severity,
        labels: JSON.stringify(signal.labels),
        links: JSON.stringify(signal.links),
        status: "triggered",
        created_at: ctx.now,
        acked_at: null,
        acked_by: null,
        resolved_at: null,
        resolved_by: null,
        escalation_policy_id: owner.escalation,
        route_path: c.route.path,
        route_name: c.route.name,
        receiver: c.route.receiver,
        escalation_next_at: owner.escalation === null ? null : ctx.now,
        actionable: null,
        actionable_reason: null,
        reviewed_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(inserted.id);
  }

  /** Resolves an open page inside `trx` and queues its resolve notifications. */
  private async resolvePage(trx: Db, pageId: number, by: string, now: number): Promise<void> {
    const updated = await trx
      .updateTable("pages")
      .set({ status: "resolved", resolved_at: now, resolved_by: by, escalation_next_at: null })
      .where("id", "=", pageId)
      .where("status", "!=", "resolved")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    const row = await trx.selectFrom("pages").selectAll().where("id", "=", pageId).executeTakeFirstOrThrow();
    const sent = await this.deps.store.sentKeys(pageId, trx);
    const intents = pageEventIntents(pageFromRow(row), "resolve", sent);
    if (intents.length > 0) await this.deps.outbox.enqueue(trx, intents);
  }
}

// Rows per multi-row statement: 24 columns x 500 stays under SQLite's 32,766 bind parameters.
const WRITE_CHUNK = 500;

interface Writes {
  readonly rows: Map<string, Insertable<SignalsTable>>;
  readonly events: Insertable<SignalEventsTable>[];
  /** Pages opened on routes with `declareIncident`. */
  readonly incidentPages: number[];
}

/**
 * Which stored firing signals can inhibit one of `targets`: null when none can (no rule's target
 * matchers match any of them); otherwise narrowed to the outcomes the rules' `class="…"` source
 * matchers allow and to the targets' services when every rule needs an equal service.
 */
export function inhibitionScope(
  rules: readonly InhibitRule[],
  targets: readonly FiringAlert[],
): { outcomes?: string[]; services?: string[] } | null {
  const relevant = rules.filter((rule) => targets.some((t) => matchesAll(rule.targetMatchers, t.labels)));
  if (relevant.length === 0) return null;
  const classes = relevant.map(
    (rule) => rule.sourceMatchers.find((m) => m.name === "class" && m.op === "=")?.value,
  );
  const bySevice = relevant.every((rule) => rule.equal.includes("service"));
  return {
    ...(classes.every((c) => c !== undefined) ? { outcomes: [...new Set(classes as string[])] } : {}),
    ...(bySevice ? { services: [...new Set(targets.map((t) => t.labels["service"] ?? ""))] } : {}),
  };
}

function isEnded(signal: Signal, now: number): boolean {
  return signal.endsAt !== undefined && signal.endsAt <= now;
}

function endsOf(r: Selectable<SignalsTable>): { source: string; endsAt?: number } {
  return r.ends_at === null ? { source: r.source } : { source: r.source, endsAt: r.ends_at };
}

function firingAlertOfRow(r: Selectable<SignalsTable>): FiringAlert {
  return { fingerprint: r.fingerprint, labels: { ...signalLabels(signalOfRow(r)), class: r.outcome } };
}

function labelsWithClass(signal: Signal, c: Classification): Labels {
  return { ...signalLabels(signal), class: c.outcome };
}

export function signalOfRow(r: Selectable<SignalsTable>): Signal {
  const s = signalFromRow(r);
  return {
    source: s.source,
    service: s.service,
    ...(s.team === null ? {} : { team: s.team }),
    title: s.title,
    ...(s.description === null ? {} : { description: s.description }),
    severity: s.severity,
    labels: s.labels,
    fingerprint: s.fingerprint,
    links: s.links,
    startsAt: s.startsAt,
    ...(s.endsAt === null ? {} : { endsAt: s.endsAt }),
  };
}

function priorityOf(severity: string): SignalTicket["priority"] {
  const s = severity.toLowerCase();
  if (["critical", "page", "high", "error"].includes(s)) return "high";
  if (["info", "low", "none"].includes(s)) return "low";
  return "normal";
}

/** The key of the group the deciding route puts a signal in, as the grouping state machine forms it. */
export function groupKeyOf(route: Route, labels: Labels): string {
  const names = route.groupBy.includes("...") ? Object.keys(labels) : route.groupBy;
  const parts = names
    .filter((n) => labels[n] !== undefined)
    .sort()
    .map((n) => `${n}=${JSON.stringify(labels[n])}`);
  return `${route.path}{${parts.join(",")}}`;
}

/** The receiver notification of one group flush. */
export function groupIntents(n: GroupNotification): NotificationIntent[] {
  if (n.receiver === null) return [];
  const alerts = n.firing.length > 0 ? n.firing : n.resolved;
  const first = alerts[0];
  const name = n.groupLabels["alertname"] ?? first?.signal.title ?? n.route.name;
  const counts = [
    n.firing.length > 0 ? `${n.firing.length} firing` : "",
    n.resolved.length > 0 ? `${n.resolved.length} resolved` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const team = n.team ?? first?.signal.team;
  const links = alerts.flatMap((a) => a.signal.links).slice(0, 10);
  return [
    {
      target: { type: "receiver", receiverId: n.receiver },
      dedupKey: `group:${n.groupKey}:${n.at}:${n.kind}`,
      message: {
        event: n.firing.length === 0 ? "resolve" : "trigger",
        subject: { kind: "signal", id: n.groupKey },
        title: `[${n.outcome.toUpperCase()}] ${name} (${counts})`,
        summary: [
          ...n.firing.map((a) => `firing: ${a.signal.title} (${a.signal.service})`),
          ...n.resolved.map((a) => `resolved: ${a.signal.title} (${a.signal.service})`),
        ].join("\n"),
        service: n.groupLabels["service"] ?? first?.signal.service ?? "",
        ...(team === undefined ? {} : { team }),
        severity: first?.signal.severity ?? "",
        outcome: n.outcome,
        labels: n.groupLabels,
        links,
        startsAt: Math.min(...alerts.map((a) => a.firstSeenAt)),
        ...(n.firing.length === 0 && n.resolved.length > 0
          ? { endsAt: Math.max(...n.resolved.map((a) => a.resolvedAt ?? n.at)) }
          : {}),
      },
    },
  ];
}
