import { type Kysely, PostgresAdapter, type Selectable, sql } from "kysely";
import type { Database } from "../db/database.js";
import type {
  NotificationIntent,
  NotificationMessage,
  NotificationOutbox,
  NotificationTarget,
} from "./notification.js";
import type { NotificationsTable } from "./notifications.tables.js";

export type DeliveryStatus = "pending" | "delivered" | "failed";
export type AttemptOutcome = "success" | "retry" | "failed" | "skipped";

/** One notification of the outbox, as the API and the delivery worker see it. */
export interface StoredNotification {
  readonly id: number;
  readonly dedupKey: string;
  readonly target: NotificationTarget;
  readonly message: NotificationMessage;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAttemptAt: number;
  readonly deliveredAt?: number;
  readonly failedAt?: number;
  readonly lastError?: string;
  /** Contacts of a person already reached. */
  readonly progress: readonly string[];
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly at: number;
  readonly receiver: string;
  readonly outcome: AttemptOutcome;
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** What the worker decided after one round of attempts on one notification. */
export interface DeliveryResult {
  readonly id: number;
  readonly outcome: "delivered" | "retry" | "failed";
  /** Whether this round counted as an attempt (false when a breaker deferred it unsent). */
  readonly attempted: boolean;
  readonly attempts: readonly AttemptRecord[];
  readonly nextAttemptAt?: number;
  readonly error?: string;
  readonly progress?: readonly string[];
}

/** Called in the transaction that marks a notification failed (e.g. to raise a ticket for the team). */
export type DeliveryFailedHook = (trx: Kysely<Database>, delivery: StoredNotification) => Promise<void>;

export interface NotificationFilter {
  /** "kind:id", e.g. "page:42". */
  readonly subject?: string;
  readonly status?: DeliveryStatus;
  readonly target?: string;
  /** Only ids below this one (paging, newest first). */
  readonly before?: number;
  readonly limit?: number;
}

function toStored(row: Selectable<NotificationsTable>): StoredNotification {
  const target: NotificationTarget =
    row.target_type === "person"
      ? { type: "person", personId: row.target_ref }
      : { type: "receiver", receiverId: row.target_ref };
  return {
    id: Number(row.id),
    dedupKey: row.dedup_key,
    target,
    message: JSON.parse(row.message) as NotificationMessage,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    createdAt: Number(row.created_at),
    nextAttemptAt: Number(row.next_attempt_at),
    ...(row.delivered_at !== null ? { deliveredAt: Number(row.delivered_at) } : {}),
    ...(row.failed_at !== null ? { failedAt: Number(row.failed_at) } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    progress: row.progress ? (JSON.parse(row.progress) as string[]) : [],
  };
}

const targetRef = (target: NotificationTarget) =>
  target.type === "person" ? target.personId : target.receiverId;

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters and SQLite's 32,766. */
const CHUNK = 500;

/**
 * `status = 'pending'` as an expression the planner cannot answer from the (status,
 * next_attempt_at) index: updates by a list of ids then look each id up by primary key, where
 * SQLite would otherwise walk every pending row of the index to find the few listed.
 */
const stillPending = sql<boolean>`${sql.ref("status")} || '' = 'pending'`;

/** A row's place in claim order: its scheduled attempt, then its id. */
export interface ClaimKey {
  readonly at: number;
  readonly id: number;
}

export interface ClaimOptions {
  /** Only rows after this one in claim order. */
  readonly after?: ClaimKey | undefined;
  /** Ids not to claim (rows in flight). */
  readonly exclude?: readonly number[];
}

/** Whether `a` comes after `b` in claim order. */
export const claimsAfter = (a: ClaimKey, b: ClaimKey): boolean =>
  a.at > b.at || (a.at === b.at && a.id > b.id);

export interface OutboxOptions {
  /** Epoch milliseconds (injected in tests that run on a simulated clock). */
  readonly now?: () => number;
}

/**
 * The notification outbox over the `notifications` and `notification_attempts` tables. Other
 * domains only call `enqueue` inside their own transaction; the delivery worker claims due rows
 * and records each round of attempts in one transaction per batch.
 */
export function notificationOutbox(db: Kysely<Database>, options: OutboxOptions = {}) {
  const now = options.now ?? Date.now;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  const outbox = {
    async enqueue(trx: Kysely<Database>, intents: readonly NotificationIntent[]): Promise<void> {
      if (intents.length === 0) return;
      const at = now();
      const rows = intents.map((intent) => ({
        dedup_key: intent.dedupKey.slice(0, 300),
        target_type: intent.target.type,
        target_ref: targetRef(intent.target),
        subject_kind: intent.message.subject.kind,
        subject_id: intent.message.subject.id,
        event: intent.message.event,
        message: JSON.stringify(intent.message),
        status: "pending",
        attempts: 0,
        created_at: at,
        next_attempt_at: at,
        delivered_at: null,
        failed_at: null,
        last_error: null,
        progress: null,
      }));
      for (let i = 0; i < rows.length; i += CHUNK)
        await trx
          .insertInto("notifications")
          .values(rows.slice(i, i + CHUNK))
          .execute();
    },

    /**
     * Pending notifications due at `at`, in claim order (schedule, then id). `after` starts the
     * claim right after a row already taken, so that the index scan skips the rows claimed before
     * it (still in flight, or delivered with their index entries not yet vacuumed); `exclude`
     * names the rows in flight beyond it.
     */
    async due(limit: number, at: number, claim: ClaimOptions = {}): Promise<StoredNotification[]> {
      const { after, exclude = [] } = claim;
      let query = db
        .selectFrom("notifications")
        .selectAll()
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", at);
      if (after)
        query = query.where((eb) =>
          eb(eb.refTuple("next_attempt_at", "id"), ">", eb.tuple(after.at, after.id)),
        );
      if (exclude.length > 0) query = query.where("id", "not in", exclude);
      const ordered = query.orderBy("next_attempt_at").orderBy("id").limit(limit);
      // The claim walks the index (status, next_attempt_at, id) and stops after `limit` entries.
      // PostgreSQL plans from statistics that a burst of notifications has outdated (few pending
      // rows on record), and would then fetch every due row to sort them: told not to sort, it
      // walks the index whatever its statistics say.
      const rows = postgres
        ? await db.transaction().execute(async (trx) => {
            await sql`set local enable_sort = off`.execute(trx);
            return (await trx.executeQuery(ordered)).rows;
          })
        : await ordered.execute();
      return rows.map(toStored);
    },

    /** The earliest scheduled attempt of a pending notification, if any. */
    async nextDueAt(): Promise<number | undefined> {
      const row = await db
        .selectFrom("notifications")
        .select((eb) => eb.fn.min("next_attempt_at").as("at"))
        .where("status", "=", "pending")
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
    },

    /**
     * Records a batch of rounds in one transaction: the attempts, each row's new state, and the
     * failure hook for rows that are given up on.
     */
    async complete(results: readonly DeliveryResult[], onFailed?: DeliveryFailedHook): Promise<void> {
      if (results.length === 0) return;
      const at = now();
      await db.transaction().execute(async (trx) => {
        const attempts = results.flatMap((r) =>
          r.attempts.map((a) => ({
            notification_id: r.id,
            attempt: a.attempt,
            at: a.at,
            receiver: a.receiver.slice(0, 300),
            outcome: a.outcome,
            status_code: a.statusCode ?? null,
            error: a.error ?? null,
            duration_ms: Math.round(a.durationMs),
          })),
        );
        for (let i = 0; i < attempts.length; i += CHUNK)
          await trx
            .insertInto("notification_attempts")
            .values(attempts.slice(i, i + CHUNK))
            .execute();
        const delivered = results.filter((r) => r.outcome === "delivered" && r.attempted).map((r) => r.id);
        for (let i = 0; i < delivered.length; i += CHUNK)
          await trx
            .updateTable("notifications")
            .set((eb) => ({
              status: "delivered",
              attempts: eb("attempts", "+", 1),
              delivered_at: at,
              last_error: null,
            }))
            .where("id", "in", delivered.slice(i, i + CHUNK))
            .where(stillPending)
            .execute();
        for (const r of results) {
          if (r.outcome === "delivered" && r.attempted) continue;
          const progress = r.progress ? { progress: JSON.stringify(r.progress) } : {};
          if (r.outcome === "failed") {
            const updated = await trx
              .updateTable("notifications")
              .set((eb) => ({
                status: "failed",
                attempts: r.attempted ? eb("attempts", "+", 1) : eb.ref("attempts"),
                failed_at: at,
                last_error: r.error ?? null,
                ...progress,
              }))
              .where("id", "=", r.id)
              .where("status", "=", "pending")
              .returningAll()
              .executeTakeFirst();
            if (updated && onFailed) await onFailed(trx, toStored(updated));
          } else {
            await trx
              .updateTable("notifications")
              .set((eb) => ({
                status: r.outcome === "delivered" ? "delivered" : "pending",
                ...(r.outcome === "delivered" ? { delivered_at: at } : {}),
                attempts: r.attempted ? eb("attempts", "+", 1) : eb.ref("attempts"),
                next_attempt_at: r.nextAttemptAt ?? at,
                ...(r.error !== undefined ? { last_error: r.error } : {}),
                ...progress,
              }))
              .where("id", "=", r.id)
              .where("status", "=", "pending")
              .execute();
          }
        }
      });
    },

    async list(filter: NotificationFilter = {}): Promise<StoredNotification[]> {
      let query = db.selectFrom("notifications").selectAll();
      if (filter.subject) {
        const [kind, ...rest] = filter.subject.split(":");
        query = query.where("subject_kind", "=", kind ?? "");
        if (rest.length > 0) query = query.where("subject_id", "=", rest.join(":"));
      }
      if (filter.status) query = query.where("status", "=", filter.status);
      if (filter.target) query = query.where("target_ref", "=", filter.target);
      if (filter.before !== undefined) query = query.where("id", "<", filter.before);
      const rows = await query
        .orderBy("id", "desc")
        .limit(filter.limit ?? 100)
        .execute();
      return rows.map(toStored);
    },

    async get(id: number): Promise<(StoredNotification & { attemptLog: AttemptRecord[] }) | undefined> {
      const row = await db.selectFrom("notifications").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) return undefined;
      const attempts = await db
        .selectFrom("notification_attempts")
        .selectAll()
        .where("notification_id", "=", id)
        .orderBy("id")
        .execute();
      return {
        ...toStored(row),
        attemptLog: attempts.map((a) => ({
          attempt: a.attempt,
          at: Number(a.at),
          receiver: a.receiver,
          outcome: a.outcome as AttemptOutcome,
          ...(a.status_code !== null ? { statusCode: a.status_code } : {}),
          ...(a.error !== null ? { error: a.error } : {}),
          durationMs: a.duration_ms,
        })),
      };
    },

    /** Notifications per status (for tests, metrics and `nines notification list --summary`). */
    async counts(): Promise<Record<DeliveryStatus, number>> {
      const rows = await db
        .selectFrom("notifications")
        .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
        .groupBy("status")
        .execute();
      const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0 };
      for (const r of rows) counts[r.status as DeliveryStatus] = Number(r.n);
      return counts;
    },
  };
  return outbox satisfies NotificationOutbox;
}

export type NotificationOutboxStore = ReturnType<typeof notificationOutbox>;
