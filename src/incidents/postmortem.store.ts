import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database } from "../db/database.js";
import type { ActionItem, ActionItemPriority, ActionItemStatus, ActionItemType } from "./action-item.js";
import { IncidentConflictError } from "./incident-api-errors.js";
import type { ActionItemsTable, PostmortemsTable } from "./incidents.tables.js";
import type {
  ExtraSection,
  Lessons,
  Postmortem,
  PostmortemImpact,
  PostmortemStatus,
  PostmortemTimelineEntry,
  ReviewComment,
  ReviewDecision,
  SupportingLink,
} from "./postmortem.js";
import type { PostmortemTrigger } from "./postmortem-requirement.js";

/** A postmortem as stored: the pure model (with its action items) plus store facts. */
export interface StoredPostmortem {
  readonly postmortem: Postmortem;
  readonly number: number;
  readonly incidentNumber: number;
  /** The rules that required it ([] when written voluntarily). */
  readonly requiredBy: readonly PostmortemTrigger[];
  readonly version: number;
}

interface Content {
  readonly summary: string;
  readonly impact: PostmortemImpact;
  readonly rootCauses: string;
  readonly trigger: string;
  readonly detection: string;
  readonly resolution: string;
  readonly lessons: Lessons;
  readonly timeline: readonly PostmortemTimelineEntry[];
  readonly links: readonly SupportingLink[];
  readonly extraSections: readonly ExtraSection[];
}

export function postmortemId(n: number): string {
  return `pm-${n}`;
}

export function actionItemId(n: number): string {
  return `ai-${n}`;
}

function parseId(prefix: string, id: string): number | undefined {
  const m = new RegExp(`^(?:${prefix}-)?([1-9][0-9]{0,14})$`, "i").exec(id.trim());
  return m ? Number(m[1]) : undefined;
}

/** "pm-3" or "3" → 3. */
export const parsePostmortemId = (id: string) => parseId("pm", id);
/** "ai-7" or "7" → 7. */
export const parseActionItemId = (id: string) => parseId("ai", id);

type Db = Kysely<Database> | Transaction<Database>;

export function toActionItem(r: Selectable<ActionItemsTable>): ActionItem {
  return {
    id: actionItemId(r.id),
    postmortemId: postmortemId(r.postmortem_id),
    description: r.description,
    type: r.type as ActionItemType,
    owner: r.owner,
    priority: r.priority as ActionItemPriority,
    dueAt: r.due_at,
    status: r.status as ActionItemStatus,
    ...(r.issue_url !== null ? { issueUrl: r.issue_url } : {}),
    ...(r.service !== null ? { service: r.service } : {}),
    ...(r.team !== null ? { team: r.team } : {}),
  };
}

function actionItemRow(item: Omit<ActionItem, "id" | "postmortemId">) {
  return {
    description: item.description,
    type: item.type,
    owner: item.owner,
    priority: item.priority,
    due_at: item.dueAt,
    status: item.status,
    issue_url: item.issueUrl ?? null,
    service: item.service ?? null,
    team: item.team ?? null,
  };
}

async function load(db: Db, row: Selectable<PostmortemsTable>): Promise<StoredPostmortem> {
  const [reviewers, comments, items] = await Promise.all([
    db
      .selectFrom("postmortem_reviewers")
      .selectAll()
      .where("postmortem_id", "=", row.id)
      .orderBy("position")
      .execute(),
    db.selectFrom("postmortem_comments").selectAll().where("postmortem_id", "=", row.id).execute(),
    db
      .selectFrom("action_items")
      .selectAll()
      .where("postmortem_id", "=", row.id)
      .orderBy("position")
      .orderBy("id")
      .execute(),
  ]);
  const content = JSON.parse(row.content) as Content;
  const byNumber = (a: { cid: string }, b: { cid: string }) =>
    Number(a.cid.replace(/\D/g, "")) - Number(b.cid.replace(/\D/g, ""));
  const postmortem: Postmortem = {
    id: postmortemId(row.id),
    incidentId: `inc-${row.incident_id}`,
    title: row.title,
    status: row.status as PostmortemStatus,
    authors: JSON.parse(row.authors) as string[],
    reviewers: reviewers.map((r) => ({ name: r.name, decision: r.decision as ReviewDecision })),
    comments: [...comments].sort(byNumber).map(
      (c): ReviewComment => ({
        id: c.cid,
        author: c.author,
        at: c.at,
        kind: c.kind as ReviewComment["kind"],
        text: c.text,
        ...(c.section !== null ? { section: c.section } : {}),
        ...(c.quote !== null ? { quote: c.quote } : {}),
        ...(c.start_pos !== null ? { start: c.start_pos } : {}),
        ...(c.end_pos !== null ? { end: c.end_pos } : {}),
      }),
    ),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.published_at !== null ? { publishedAt: row.published_at } : {}),
    services: JSON.parse(row.services) as string[],
    causeTags: JSON.parse(row.cause_tags) as string[],
    ...content,
    actionItems: items.map(toActionItem),
  };
  return {
    postmortem,
    number: row.id,
    incidentNumber: row.incident_id,
    requiredBy: JSON.parse(row.required_by) as PostmortemTrigger[],
    version: row.version,
  };
}

function postmortemRow(pm: Postmortem) {
  const content: Content = {
    summary: pm.summary,
    impact: pm.impact,
    rootCauses: pm.rootCauses,
    trigger: pm.trigger,
    detection: pm.detection,
    resolution: pm.resolution,
    lessons: pm.lessons,
    timeline: pm.timeline,
    links: pm.links,
    extraSections: pm.extraSections,
  };
  return {
    title: pm.title,
    status: pm.status,
    authors: JSON.stringify(pm.authors),
    services: JSON.stringify(pm.services),
    cause_tags: JSON.stringify(pm.causeTags),
    content: JSON.stringify(content),
    created_at: pm.createdAt,
    updated_at: pm.updatedAt,
    published_at: pm.publishedAt ?? null,
  };
}

/** Writes reviewers, new comments and action items so that the tables match `next`. */
async function writeChildren(
  trx: Db,
  n: number,
  previous: Postmortem | undefined,
  next: Postmortem,
  now: number,
): Promise<void> {
  const before = new Map((previous?.reviewers ?? []).map((r) => [r.name, r] as const));
  const decidedAt = new Map(
    (
      await trx
        .selectFrom("postmortem_reviewers")
        .select(["name", "decided_at"])
        .where("postmortem_id", "=", n)
        .execute()
    ).map((r) => [r.name, r.decided_at] as const),
  );
  await trx.deleteFrom("postmortem_reviewers").where("postmortem_id", "=", n).execute();
  if (next.reviewers.length > 0) {
    await trx
      .insertInto("postmortem_reviewers")
      .values(
        next.reviewers.map((r, position) => ({
          postmortem_id: n,
          name: r.name,
          position,
          decision: r.decision,
          decided_at:
            r.decision === "pending"
              ? null
              : before.get(r.name)?.decision === r.decision
                ? (decidedAt.get(r.name) ?? now)
                : now,
        })),
      )
      .execute();
  }
  const known = new Set((previous?.comments ?? []).map((c) => c.id));
  const added = next.comments.filter((c) => !known.has(c.id));
  if (added.length > 0) {
    await trx
      .insertInto("postmortem_comments")
      .values(
        added.map((c) => ({
          postmortem_id: n,
          cid: c.id,
          author: c.author,
          at: c.at,
          kind: c.kind,
          text: c.text,
          section: c.section ?? null,
          quote: c.quote ?? null,
          start_pos: c.start ?? null,
          end_pos: c.end ?? null,
        })),
      )
      .execute();
  }
  if (previous !== undefined && previous.actionItems === next.actionItems) return;
  const existing = new Set(
    (await trx.selectFrom("action_items").select("id").where("postmortem_id", "=", n).execute()).map(
      (r) => r.id,
    ),
  );
  const kept = new Set<number>();
  for (const [position, item] of next.actionItems.entries()) {
    const itemNumber = parseActionItemId(item.id);
    if (itemNumber !== undefined && existing.has(itemNumber) && !kept.has(itemNumber)) {
      kept.add(itemNumber);
      await trx
        .updateTable("action_items")
        .set({ ...actionItemRow(item), position, updated_at: now })
        .where("id", "=", itemNumber)
        .execute();
    } else {
      await trx
        .insertInto("action_items")
        .values({ ...actionItemRow(item), postmortem_id: n, position, created_at: now, updated_at: now })
        .execute();
    }
  }
  const dropped = [...existing].filter((id) => !kept.has(id));
  if (dropped.length > 0) await trx.deleteFrom("action_items").where("id", "in", dropped).execute();
}

const MAX_ATTEMPTS = 5;

export interface ActionItemFilter {
  readonly status?: ActionItemStatus;
  readonly service?: string;
  readonly team?: string;
  readonly owner?: string;
  readonly postmortemId?: number;
}

/** Postmortems with reviewers, comments and action items. */
export function postmortemStore(db: Kysely<Database>) {
  const get = async (n: number, trx: Db = db): Promise<StoredPostmortem | undefined> => {
    const row = await trx.selectFrom("postmortems").selectAll().where("id", "=", n).executeTakeFirst();
    return row ? load(trx, row) : undefined;
  };

  return {
    get: (n: number) => get(n),

    async byIncident(incident: number): Promise<StoredPostmortem | undefined> {
      const row = await db
        .selectFrom("postmortems")
        .selectAll()
        .where("incident_id", "=", incident)
        .executeTakeFirst();
      return row ? load(db, row) : undefined;
    },

    /** Stores a new draft; `undefined` when the incident already has a postmortem. */
    async insert(
      incident: number,
      build: (id: string) => Postmortem,
      requiredBy: readonly PostmortemTrigger[],
      now: number,
    ): Promise<StoredPostmortem | undefined> {
      return db.transaction().execute(async (trx) => {
        const exists = await trx
          .selectFrom("postmortems")
          .select("id")
          .where("incident_id", "=", incident)
          .executeTakeFirst();
        if (exists) return undefined;
        const placeholder = build("pm-0");
        const { id } = await trx
          .insertInto("postmortems")
          .values({
            ...postmortemRow(placeholder),
            incident_id: incident,
            required_by: JSON.stringify(requiredBy),
            version: 1,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const pm = build(postmortemId(id));
        await trx.updateTable("postmortems").set(postmortemRow(pm)).where("id", "=", id).execute();
        await writeChildren(trx, id, undefined, pm, now);
        return get(id, trx);
      });
    },

    /** Read-modify-write with optimistic concurrency (retried on a concurrent change). */
    async update(
      n: number,
      change: (current: StoredPostmortem) => Postmortem | Promise<Postmortem>,
      now: number,
    ): Promise<StoredPostmortem | undefined> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await get(n);
        if (!current) return undefined;
        const next = await change(current);
        const written = await db.transaction().execute(async (trx) => {
          const result = await trx
            .updateTable("postmortems")
            .set({ ...postmortemRow(next), version: current.version + 1 })
            .where("id", "=", n)
            .where("version", "=", current.version)
            .executeTakeFirst();
          if (Number(result.numUpdatedRows) !== 1) return false;
          await writeChildren(trx, n, current.postmortem, next, now);
          return true;
        });
        if (written) return get(n);
      }
      throw new IncidentConflictError(`postmortem ${postmortemId(n)} kept changing; retry`, {
        id: postmortemId(n),
      });
    },

    async list(filter: { status?: PostmortemStatus; limit?: number } = {}): Promise<StoredPostmortem[]> {
      let query = db.selectFrom("postmortems").selectAll();
      if (filter.status) query = query.where("status", "=", filter.status);
      const rows = await query
        .orderBy("id", "desc")
        .limit(filter.limit ?? 1000)
        .execute();
      return Promise.all(rows.map((r) => load(db, r)));
    },

    /** When each incident's postmortem was published (incident number → published at). */
    async publishedAtByIncident(): Promise<Map<number, number>> {
      const rows = await db
        .selectFrom("postmortems")
        .select(["incident_id", "published_at"])
        .where("published_at", "is not", null)
        .execute();
      return new Map(rows.map((r) => [r.incident_id, r.published_at ?? 0] as const));
    },

    async postmortemIdsByIncident(
      incidents: readonly number[],
    ): Promise<Map<number, { id: string; status: string }>> {
      if (incidents.length === 0) return new Map();
      const rows = await db
        .selectFrom("postmortems")
        .select(["id", "incident_id", "status"])
        .where("incident_id", "in", [...incidents])
        .execute();
      return new Map(rows.map((r) => [r.incident_id, { id: postmortemId(r.id), status: r.status }] as const));
    },

    actionItems: {
      async get(n: number): Promise<ActionItem | undefined> {
        const row = await db.selectFrom("action_items").selectAll().where("id", "=", n).executeTakeFirst();
        return row ? toActionItem(row) : undefined;
      },

      async insert(
        pm: number,
        item: Omit<ActionItem, "id" | "postmortemId">,
        now: number,
      ): Promise<ActionItem> {
        return db.transaction().execute(async (trx) => {
          const last = await trx
            .selectFrom("action_items")
            .select((eb) => eb.fn.max("position").as("p"))
            .where("postmortem_id", "=", pm)
            .executeTakeFirst();
          const position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
          const { id } = await trx
            .insertInto("action_items")
            .values({ ...actionItemRow(item), postmortem_id: pm, position, created_at: now, updated_at: now })
            .returning("id")
            .executeTakeFirstOrThrow();
          return toActionItem(
            await trx.selectFrom("action_items").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
          );
        });
      },

      /** Replaces one item's fields (the caller computed `next` with the pure rules). */
      async put(n: number, next: ActionItem, now: number): Promise<ActionItem | undefined> {
        const result = await db
          .updateTable("action_items")
          .set({ ...actionItemRow(next), updated_at: now })
          .where("id", "=", n)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return undefined;
        return this.get(n);
      },

      async list(filter: ActionItemFilter = {}): Promise<ActionItem[]> {
        let query = db.selectFrom("action_items").selectAll();
        if (filter.status) query = query.where("status", "=", filter.status);
        if (filter.service) query = query.where("service", "=", filter.service);
        if (filter.team) query = query.where("team", "=", filter.team);
        if (filter.owner) query = query.where("owner", "=", filter.owner);
        if (filter.postmortemId !== undefined) query = query.where("postmortem_id", "=", filter.postmortemId);
        const rows = await query.orderBy("due_at").orderBy("id").limit(5000).execute();
        return rows.map(toActionItem);
      },
    },
  };
}

export type PostmortemStore = ReturnType<typeof postmortemStore>;
