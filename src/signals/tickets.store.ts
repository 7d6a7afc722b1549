import type { Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../db/database.js";
import { TicketNotFoundError, TicketTransitionInvalidError } from "./tickets.errors.js";
import {
  isClosed,
  isOverdue,
  morePressing,
  type TicketPriority,
  type TicketStatus,
  ticketTransitionAllowed,
} from "./tickets.js";
import type { TicketsTable } from "./tickets.tables.js";

const DAY_MS = 86_400_000;

export interface Ticket {
  readonly id: string;
  readonly team: string | null;
  readonly service: string;
  readonly title: string;
  readonly description: string;
  readonly priority: TicketPriority;
  readonly status: TicketStatus;
  readonly assignee: string | null;
  readonly dueAt: number;
  /** Active and past its due date, at the time it was read. */
  readonly overdue: boolean;
  readonly fingerprint: string | null;
  readonly rule: string | null;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly closedAt: number | null;
  /** How many signals were linked to it (the first and every repeat). */
  readonly signalCount: number;
}

export interface TicketComment {
  readonly id: number;
  readonly at: number;
  readonly author: string;
  /** "comment" from a person, "change" for a status, assignee, priority or due date change. */
  readonly kind: "comment" | "change";
  readonly body: string;
}

export interface TicketSignalLink {
  readonly signalId: string | null;
  readonly fingerprint: string;
  readonly linkedAt: number;
}

export interface TicketDetail extends Ticket {
  readonly comments: TicketComment[];
  readonly signals: TicketSignalLink[];
}

/** What the signal pipeline hands over when a signal is classified as a ticket. */
export interface TicketFromSignal {
  readonly signalId?: string;
  readonly fingerprint: string;
  readonly team?: string;
  readonly service: string;
  readonly title: string;
  readonly description?: string;
  readonly priority?: TicketPriority;
  readonly dueAt?: number;
  readonly rule?: string;
}

export interface ManualTicket {
  readonly team?: string;
  readonly service: string;
  readonly title: string;
  readonly description?: string;
  readonly priority?: TicketPriority;
  readonly dueAt?: number;
  readonly assignee?: string;
  readonly fingerprint?: string;
}

export interface TicketFilter {
  readonly team?: string;
  /** One status, or "active" (open and in progress) or "closed" (done and won't do). */
  readonly status?: TicketStatus | "active" | "closed";
  readonly overdue?: boolean;
  readonly assignee?: string;
  readonly service?: string;
  readonly limit?: number;
}

export interface TicketPatch {
  readonly status?: TicketStatus;
  /** null unassigns. */
  readonly assignee?: string | null;
  readonly priority?: TicketPriority;
  readonly dueAt?: number;
}

export interface TicketStoreOptions {
  /** Due date of a ticket whose rule gives none: this many days after it opens (default 3). */
  readonly dueDays?: number;
}

const ACTIVE: readonly TicketStatus[] = ["open", "in-progress"];
const CLOSED: readonly TicketStatus[] = ["done", "wont-do"];

function parseId(id: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined;
}

type TicketRow = Selectable<TicketsTable> & { signal_count: number | string | bigint | null };

function toTicket(row: TicketRow, now: number): Ticket {
  const status = row.status as TicketStatus;
  return {
    id: String(row.id),
    team: row.team,
    service: row.service,
    title: row.title,
    description: row.description,
    priority: row.priority as TicketPriority,
    status,
    assignee: row.assignee,
    dueAt: Number(row.due_at),
    overdue: isOverdue({ status, dueAt: Number(row.due_at) }, now),
    fingerprint: row.fingerprint,
    rule: row.rule,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    signalCount: Number(row.signal_count ?? 0),
  };
}

const show = (value: string | number | null) => (value === null ? "nobody" : String(value));
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The ticket queue: tickets per team with priority, due date, assignee and status, their
 * comments and the signals they were raised for. A fingerprint has at most one active ticket:
 * repeats of a signal link to it instead of opening another.
 */
export function ticketStore(db: Kysely<Database>, options: TicketStoreOptions = {}) {
  const dueMs = (options.dueDays ?? 3) * DAY_MS;

  const selectTickets = (q: Kysely<Database>) =>
    q
      .selectFrom("tickets")
      .selectAll("tickets")
      .select((eb) =>
        eb
          .selectFrom("ticket_signals")
          .select(eb.fn.countAll().as("n"))
          .whereRef("ticket_signals.ticket_id", "=", "tickets.id")
          .as("signal_count"),
      );

  const detail = async (q: Kysely<Database>, id: number, now: number): Promise<TicketDetail | undefined> => {
    const row = await selectTickets(q).where("tickets.id", "=", id).executeTakeFirst();
    if (!row) return undefined;
    const [comments, signals] = await Promise.all([
      q
        .selectFrom("ticket_comments")
        .select(["id", "at", "author", "kind", "body"])
        .where("ticket_id", "=", id)
        .orderBy("id")
        .execute(),
      q
        .selectFrom("ticket_signals")
        .select(["signal_id", "fingerprint", "linked_at"])
        .where("ticket_id", "=", id)
        .orderBy("id")
        .execute(),
    ]);
    return {
      ...toTicket(row, now),
      comments: comments.map((c) => ({
        id: Number(c.id),
        at: Number(c.at),
        author: c.author,
        kind: c.kind as "comment" | "change",
        body: c.body,
      })),
      signals: signals.map((s) => ({
        signalId: s.signal_id,
        fingerprint: s.fingerprint,
        linkedAt: Number(s.linked_at),
      })),
    };
  };

  return {
    /**
     * Opens a ticket for a signal classified as a ticket, inside the caller's transaction. When
     * an active ticket has the same fingerprint, links the signal to it (raising its priority if
     * the new one is more pressing) and returns its id.
     */
    async openFromSignal(trx: Kysely<Database>, input: TicketFromSignal, now = Date.now()): Promise<string> {
      const inserted = await trx
        .insertInto("tickets")
        .values({
          team: input.team ?? null,
          service: input.service,
          title: input.title,
          description: input.description ?? "",
          priority: input.priority ?? "p3",
          status: "open",
          assignee: null,
          due_at: input.dueAt ?? now + dueMs,
          fingerprint: input.fingerprint,
          open_fingerprint: input.fingerprint,
          rule: input.rule ?? null,
          created_by: "signals",
          created_at: now,
          updated_at: now,
          closed_at: null,
        })
        .onConflict((oc) => oc.column("open_fingerprint").doNothing())
        .returning("id")
        .executeTakeFirst();
      let id: number;
      if (inserted) {
        id = Number(inserted.id);
      } else {
        const existing = await trx
          .selectFrom("tickets")
          .select(["id", "priority"])
          .where("open_fingerprint", "=", input.fingerprint)
          .executeTakeFirstOrThrow();
        id = Number(existing.id);
        const priority = input.priority
          ? morePressing(existing.priority as TicketPriority, input.priority)
          : (existing.priority as TicketPriority);
        await trx.updateTable("tickets").set({ updated_at: now, priority }).where("id", "=", id).execute();
      }
      await trx
        .insertInto("ticket_signals")
        .values({
          ticket_id: id,
          signal_id: input.signalId ?? null,
          fingerprint: input.fingerprint,
          linked_at: now,
        })
        .execute();
      return String(id);
    },

    /** The newest ticket ever opened for a fingerprint (open or closed), if any. */
    async lastForFingerprint(fingerprint: string, trx: Kysely<Database> = db): Promise<Ticket | undefined> {
      const row = await selectTickets(trx)
        .where("tickets.fingerprint", "=", fingerprint)
        .orderBy("tickets.id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toTicket(row, Date.now()) : undefined;
    },

    /** A ticket made by a person (`author`), not by a signal. */
    async create(input: ManualTicket, author: string, now = Date.now()): Promise<TicketDetail> {
      return db.transaction().execute(async (trx) => {
        if (input.fingerprint !== undefined) {
          const open = await trx
            .selectFrom("tickets")
            .select("id")
            .where("open_fingerprint", "=", input.fingerprint)
            .executeTakeFirst();
          if (open) {
            throw new TicketTransitionInvalidError(
              `ticket ${open.id} is already open for fingerprint ${input.fingerprint}`,
              { path: "body.fingerprint", ticketId: String(open.id) },
            );
          }
        }
        const row = await trx
          .insertInto("tickets")
          .values({
            team: input.team ?? null,
            service: input.service,
            title: input.title,
            description: input.description ?? "",
            priority: input.priority ?? "p3",
            status: "open",
            assignee: input.assignee ?? null,
            due_at: input.dueAt ?? now + dueMs,
            fingerprint: input.fingerprint ?? null,
            open_fingerprint: input.fingerprint ?? null,
            rule: null,
            created_by: author,
            created_at: now,
            updated_at: now,
            closed_at: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return (await detail(trx, Number(row.id), now))!;
      });
    },

    /** Tickets by priority, then due date (the most pressing first). */
    async list(filter: TicketFilter = {}, now = Date.now()): Promise<Ticket[]> {
      let query = selectTickets(db);
      if (filter.team !== undefined) query = query.where("team", "=", filter.team);
      if (filter.service !== undefined) query = query.where("service", "=", filter.service);
      if (filter.assignee !== undefined) query = query.where("assignee", "=", filter.assignee);
      if (filter.status === "active") query = query.where("status", "in", ACTIVE);
      else if (filter.status === "closed") query = query.where("status", "in", CLOSED);
      else if (filter.status !== undefined) query = query.where("status", "=", filter.status);
      if (filter.overdue === true) query = query.where("status", "in", ACTIVE).where("due_at", "<=", now);
      if (filter.overdue === false)
        query = query.where((eb) => eb.or([eb("status", "in", CLOSED), eb("due_at", ">", now)]));
      const rows = await query
        .orderBy("priority")
        .orderBy("due_at")
        .orderBy("id")
        .limit(filter.limit ?? 500)
        .execute();
      return rows.map((r) => toTicket(r, now));
    },

    /** One ticket with its comments and linked signals. */
    async get(id: string, now = Date.now()): Promise<TicketDetail | undefined> {
      const n = parseId(id);
      return n === undefined ? undefined : detail(db, n, now);
    },

    /**
     * Changes status, assignee, priority or due date, recording the change (by `author`) in the
     * ticket's activity. A closed ticket can only be reopened.
     */
    async update(id: string, patch: TicketPatch, author: string, now = Date.now()): Promise<TicketDetail> {
      const n = parseId(id);
      if (n === undefined) throw new TicketNotFoundError(`no ticket ${id}`, { id });
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom("tickets").selectAll().where("id", "=", n).executeTakeFirst();
        if (!row) throw new TicketNotFoundError(`no ticket ${id}`, { id });
        const from = row.status as TicketStatus;
        const changes: string[] = [];
        const set: Updateable<TicketsTable> = {};
        if (patch.status !== undefined && patch.status !== from) {
          if (!ticketTransitionAllowed(from, patch.status)) {
            throw new TicketTransitionInvalidError(
              `ticket ${id} is ${from}: it can only be reopened (status "open"), not set to ${patch.status}`,
              { path: "body.status", from, to: patch.status },
            );
          }
          if (isClosed(patch.status)) {
            set.closed_at = now;
            set.open_fingerprint = null;
          } else if (isClosed(from)) {
            if (row.fingerprint !== null) {
              const other = await trx
                .selectFrom("tickets")
                .select("id")
                .where("open_fingerprint", "=", row.fingerprint)
                .executeTakeFirst();
              if (other) {
                throw new TicketTransitionInvalidError(
                  `ticket ${other.id} is already open for the same fingerprint; comment there instead of reopening ${id}`,
                  { path: "body.status", ticketId: String(other.id) },
                );
              }
            }
            set.closed_at = null;
            set.open_fingerprint = row.fingerprint;
          }
          set.status = patch.status;
          changes.push(`status ${from} → ${patch.status}`);
        }
        if (patch.assignee !== undefined && patch.assignee !== row.assignee) {
          set.assignee = patch.assignee;
          changes.push(`assignee ${show(row.assignee)} → ${show(patch.assignee)}`);
        }
        if (patch.priority !== undefined && patch.priority !== row.priority) {
          set.priority = patch.priority;
          changes.push(`priority ${row.priority} → ${patch.priority}`);
        }
        if (patch.dueAt !== undefined && patch.dueAt !== Number(row.due_at)) {
          set.due_at = patch.dueAt;
          changes.push(`due ${iso(Number(row.due_at))} → ${iso(patch.dueAt)}`);
        }
        if (changes.length > 0) {
          await trx
            .updateTable("tickets")
            .set({ ...set, updated_at: now })
            .where("id", "=", n)
            .execute();
          await trx
            .insertInto("ticket_comments")
            .values({ ticket_id: n, at: now, author, kind: "change", body: changes.join("; ") })
            .execute();
        }
        return (await detail(trx, n, now))!;
      });
    },

    /** Adds a comment by `author`. */
    async comment(id: string, author: string, body: string, now = Date.now()): Promise<TicketComment> {
      const n = parseId(id);
      if (n === undefined) throw new TicketNotFoundError(`no ticket ${id}`, { id });
      return db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom("tickets").select("id").where("id", "=", n).executeTakeFirst();
        if (!found) throw new TicketNotFoundError(`no ticket ${id}`, { id });
        const row = await trx
          .insertInto("ticket_comments")
          .values({ ticket_id: n, at: now, author, kind: "comment", body })
          .returning("id")
          .executeTakeFirstOrThrow();
        await trx.updateTable("tickets").set({ updated_at: now }).where("id", "=", n).execute();
        return { id: Number(row.id), at: now, author, kind: "comment" as const, body };
      });
    },
  };
}

export type TicketStore = ReturnType<typeof ticketStore>;
