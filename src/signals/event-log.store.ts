import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import type { Database } from "../db/database.js";
import { type Matcher, matchesAll } from "./matcher.js";
import type { Labels } from "./signal.js";

/** One line of the event log. */
export interface LogEntry {
  readonly id: number;
  readonly at: number;
  readonly source: string;
  readonly service: string;
  readonly title: string;
  readonly text: string;
  readonly labels: Labels;
  readonly fingerprint: string | null;
  readonly rule: string | null;
}

export interface LogAppend {
  readonly at: number;
  readonly source: string;
  readonly service: string;
  readonly title: string;
  readonly text?: string;
  readonly labels: Record<string, string>;
  readonly fingerprint?: string;
  readonly rule?: string;
}

/** Where a page of results stopped: the last entry's time and id (entries are newest first). */
export interface LogCursor {
  readonly at: number;
  readonly id: number;
}

export interface LogQuery {
  readonly service?: string;
  /** Every matcher must match the entry's labels plus `source`, `service` and `alertname` (the title unless a label sets it). */
  readonly matchers?: readonly Matcher[];
  /** Words that must each appear (case-insensitive) in the title, text, service or labels. */
  readonly text?: string;
  /** Inclusive. */
  readonly from?: number;
  /** Exclusive. */
  readonly to?: number;
  readonly limit?: number;
  readonly cursor?: LogCursor;
}

export interface LogPage {
  /** Newest first. */
  readonly entries: LogEntry[];
  /** Pass back as `cursor` for older entries; null when there are none. */
  readonly nextCursor: string | null;
  /** Rows read to answer (label matchers other than `=` are applied after reading). */
  readonly scanned: number;
}

/** Rows read per search at most; a search that reaches it returns a cursor to continue from. */
const SCAN_LIMIT = 20_000;
const BATCH = 1_000;

export function encodeLogCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.at}:${cursor.id}`).toString("base64url");
}

/** The cursor a search returned, or undefined when the text is not one. */
export function decodeLogCursor(text: string): LogCursor | undefined {
  const m = /^(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(text, "base64url").toString());
  return m ? { at: Number(m[1]), id: Number(m[2]) } : undefined;
}

const likeEscape = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (column: Expression<string>, needle: string) =>
  sql<SqlBool>`lower(${column}) like ${`%${likeEscape(needle.toLowerCase())}%`} escape '\\'`;
const containsExact = (column: Expression<string>, needle: string) =>
  sql<SqlBool>`${column} like ${`%${likeEscape(needle)}%`} escape '\\'`;

/** The labels matchers see: the entry's labels plus its source, service and alertname. */
export function logEntryLabels(entry: LogEntry): Labels {
  return { alertname: entry.title, ...entry.labels, source: entry.source, service: entry.service };
}

/**
 * The event log: signals nobody needs to look at now, kept for analysis (SRE book ch. 1) and
 * searchable by service, labels, text and time, for `retentionDays`.
 */
export function eventLogStore(db: Kysely<Database>) {
  return {
    /** Appends one entry inside the caller's transaction. */
    async append(trx: Kysely<Database>, input: LogAppend): Promise<void> {
      await trx
        .insertInto("event_log")
        .values({
          at: input.at,
          source: input.source,
          service: input.service,
          title: input.title,
          text: input.text ?? "",
          labels: JSON.stringify(input.labels),
          fingerprint: input.fingerprint ?? null,
          rule: input.rule ?? null,
        })
        .execute();
    },

    /** Entries matching every criterion, newest first, a page at a time. */
    async search(query: LogQuery = {}): Promise<LogPage> {
      const limit = Math.max(1, Math.min(query.limit ?? 100, 1_000));
      const matchers = query.matchers ?? [];
      const words = (query.text ?? "").split(/\s+/).filter((w) => w !== "");
      let base = db.selectFrom("event_log").selectAll();
      if (query.service !== undefined) base = base.where("service", "=", query.service);
      if (query.from !== undefined) base = base.where("at", ">=", query.from);
      if (query.to !== undefined) base = base.where("at", "<", query.to);
      for (const m of matchers) {
        if (m.op !== "=" || m.value === "") continue;
        if (m.name === "service" || m.name === "source") base = base.where(m.name, "=", m.value);
        else if (m.name !== "alertname")
          base = base.where(
            containsExact(sql.ref("labels"), `${JSON.stringify(m.name)}:${JSON.stringify(m.value)}`),
          );
      }
      for (const word of words) {
        base = base.where((eb) =>
          eb.or(["title", "text", "service", "labels"].map((c) => contains(sql.ref(c), word))),
        );
      }

      const entries: LogEntry[] = [];
      let cursor = query.cursor;
      let scanned = 0;
      let more = true;
      while (entries.length <= limit && scanned < SCAN_LIMIT) {
        const after = cursor;
        let q = base;
        if (after !== undefined) {
          q = q.where((eb) =>
            eb.or([eb("at", "<", after.at), eb.and([eb("at", "=", after.at), eb("id", "<", after.id)])]),
          );
        }
        const rows = await q.orderBy("at", "desc").orderBy("id", "desc").limit(BATCH).execute();
        for (const r of rows) {
          scanned++;
          cursor = { at: Number(r.at), id: Number(r.id) };
          const entry: LogEntry = {
            id: Number(r.id),
            at: Number(r.at),
            source: r.source,
            service: r.service,
            title: r.title,
            text: r.text,
            labels: JSON.parse(r.labels) as Labels,
            fingerprint: r.fingerprint,
            rule: r.rule,
          };
          if (matchesAll(matchers, logEntryLabels(entry))) entries.push(entry);
          if (entries.length > limit) break;
        }
        if (rows.length < BATCH && entries.length <= limit) {
          more = false;
          break;
        }
      }
      if (entries.length > limit) {
        entries.length = limit;
        const last = entries[limit - 1]!;
        return { entries, nextCursor: encodeLogCursor({ at: last.at, id: last.id }), scanned };
      }
      return {
        entries,
        nextCursor: more && cursor !== undefined ? encodeLogCursor(cursor) : null,
        scanned,
      };
    },

    /** Deletes entries older than `cutoff` in batches (the retention task); returns how many. */
    async deleteBefore(cutoff: number, batch = 10_000): Promise<number> {
      let total = 0;
      for (;;) {
        const ids = db.selectFrom("event_log").select("id").where("at", "<", cutoff).limit(batch);
        const result = await db.deleteFrom("event_log").where("id", "in", ids).executeTakeFirst();
        const n = Number(result.numDeletedRows);
        total += n;
        if (n < batch) return total;
      }
    },
  };
}

export type EventLogStore = ReturnType<typeof eventLogStore>;
