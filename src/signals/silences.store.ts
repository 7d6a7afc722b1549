import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database } from "../db/database.js";
import { formatMatcher, parseMatcher } from "./matcher.js";
import { createSilence, expireSilence, type Silence, type SilenceState, silenceState } from "./silence.js";
import { SilenceNotFoundError } from "./silences.errors.js";
import type { SilencesTable } from "./silences.tables.js";

export interface NewSilence {
  /** Matchers as text (`service="db"`, `env=~"prod|staging"`). */
  readonly matchers: readonly string[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
}

export interface StoredSilence extends Silence {
  readonly createdAt: number;
  readonly updatedAt: number;
}

function toSilence(row: Selectable<SilencesTable>): StoredSilence {
  return {
    id: row.id,
    matchers: (JSON.parse(row.matchers) as string[]).map(parseMatcher),
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    createdBy: row.created_by,
    comment: row.comment,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Silences, as in Alertmanager: made with matchers, a time span, an author and a reason; expired rather than deleted. */
export function silenceStore(db: Kysely<Database>) {
  return {
    /** Silences in force at `now` (startsAt <= now < endsAt). */
    async active(now: number): Promise<Silence[]> {
      const rows = await db
        .selectFrom("silences")
        .selectAll()
        .where("starts_at", "<=", now)
        .where("ends_at", ">", now)
        .orderBy("starts_at")
        .execute();
      return rows.map(toSilence);
    },

    /**
     * Validates (`NINES_ERR_SIGNALS_SILENCE_INVALID` naming each field) and stores a silence by
     * `author`, audited in the same transaction.
     */
    async create(input: NewSilence, author: string, now = Date.now()): Promise<StoredSilence> {
      const silence = createSilence({ id: randomUUID(), createdBy: author, ...input });
      const row: Selectable<SilencesTable> = {
        id: silence.id,
        matchers: JSON.stringify(silence.matchers.map(formatMatcher)),
        starts_at: silence.startsAt,
        ends_at: silence.endsAt,
        created_by: silence.createdBy,
        comment: silence.comment,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("silences").values(row).execute();
        await trx
          .insertInto("audit_log")
          .values({
            at: now,
            actor: author,
            action: "silence.create",
            subject: silence.id,
            details: JSON.stringify({
              matchers: JSON.parse(row.matchers) as string[],
              startsAt: row.starts_at,
              endsAt: row.ends_at,
              comment: row.comment,
            }),
          })
          .execute();
      });
      return toSilence(row);
    },

    /** Silences newest first, optionally only those in one state at `now`. */
    async list(
      filter: { state?: SilenceState; limit?: number } = {},
      now = Date.now(),
    ): Promise<StoredSilence[]> {
      let query = db.selectFrom("silences").selectAll();
      if (filter.state === "pending") query = query.where("starts_at", ">", now);
      if (filter.state === "active") query = query.where("starts_at", "<=", now).where("ends_at", ">", now);
      if (filter.state === "expired") query = query.where("ends_at", "<=", now);
      const rows = await query
        .orderBy("ends_at", "desc")
        .orderBy("id")
        .limit(filter.limit ?? 500)
        .execute();
      return rows.map(toSilence);
    },

    async get(id: string): Promise<StoredSilence | undefined> {
      const row = await db.selectFrom("silences").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toSilence(row) : undefined;
    },

    /** Ends a silence now (a pending one never starts); an expired one stays as it was. */
    async expire(id: string, author: string, now = Date.now()): Promise<StoredSilence> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom("silences").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw new SilenceNotFoundError(`no silence ${id}`, { id });
        const current = toSilence(row);
        if (silenceState(current, now) === "expired") return current;
        const ended = expireSilence(current, now);
        await trx
          .updateTable("silences")
          .set({ starts_at: ended.startsAt, ends_at: ended.endsAt, updated_at: now })
          .where("id", "=", id)
          .execute();
        await trx
          .insertInto("audit_log")
          .values({ at: now, actor: author, action: "silence.expire", subject: id, details: "{}" })
          .execute();
        return { ...current, startsAt: ended.startsAt, endsAt: ended.endsAt, updatedAt: now };
      });
    },
  };
}

export type SilenceStore = ReturnType<typeof silenceStore>;
