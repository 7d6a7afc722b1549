import {
  type ActionItem,
  type ActionItemPriority,
  type ActionItemStatus,
  type ActionItemType,
  checkActionItem,
  completionRates,
  createActionItem,
  overdueActionItems,
  transitionActionItem,
} from "./action-item.js";
import { applyMarkdownEdit } from "./apply-markdown-edit.js";
import { blamelessnessComments } from "./blamelessness.js";
import { type IncidentStore, incidentId } from "./incident.store.js";
import {
  ActionItemNotFoundError,
  PostmortemExistsError,
  PostmortemNotFoundError,
} from "./incident-api-errors.js";
import { currentRoles } from "./incident-roles.js";
import { type IncidentService, impactStart } from "./incident-service.js";
import { overduePostmortems } from "./overdue-postmortems.js";
import { draftPostmortemFromIncident, normalizeLine, type Postmortem } from "./postmortem.js";
import {
  type ActionItemFilter,
  type PostmortemStore,
  parseActionItemId,
  parsePostmortemId,
  type StoredPostmortem,
} from "./postmortem.store.js";
import { exportPostmortemMarkdown } from "./postmortem-markdown-export.js";
import {
  approvePostmortem,
  commentOnPostmortem,
  editPostmortem,
  type PostmortemEdit,
  publishPostmortem,
  requestChanges,
  submitForReview,
} from "./postmortem-review.js";
import { buildPostmortemIndex, searchPostmortems } from "./postmortem-search.js";

/** The author of comments nines writes itself (blamelessness findings). */
export const NINES_AUTHOR = "nines";

export interface PostmortemServiceDeps {
  readonly incidents: IncidentStore;
  readonly incidentService: IncidentService;
  readonly postmortems: PostmortemStore;
  readonly now?: () => number;
}

/** Fields of a new action item (the id is assigned by nines). */
export interface NewActionItem {
  readonly postmortemId: string;
  readonly description: string;
  readonly type: ActionItemType;
  readonly owner: string;
  readonly priority: ActionItemPriority;
  readonly dueAt: number;
  readonly status?: ActionItemStatus | undefined;
  readonly issueUrl?: string | undefined;
  readonly service?: string | undefined;
  readonly team?: string | undefined;
}

/** A change to an action item; `issueUrl: null` removes the link. */
export interface ActionItemPatch {
  readonly description?: string | undefined;
  readonly type?: ActionItemType | undefined;
  readonly owner?: string | undefined;
  readonly priority?: ActionItemPriority | undefined;
  readonly dueAt?: number | undefined;
  readonly status?: ActionItemStatus | undefined;
  readonly issueUrl?: string | null | undefined;
  readonly service?: string | undefined;
  readonly team?: string | undefined;
}

export type ReviewDecisionInput = "approve" | "request-changes";

/** Postmortems (draft, review, publish, Markdown, search) and their action items. */
export function postmortemService(deps: PostmortemServiceDeps) {
  const now = deps.now ?? Date.now;
  const { postmortems, incidents } = deps;

  const require = async (id: string): Promise<StoredPostmortem> => {
    const n = parsePostmortemId(id);
    const stored = n === undefined ? undefined : await postmortems.get(n);
    if (!stored) throw new PostmortemNotFoundError(`no postmortem ${id}`, { id });
    return stored;
  };

  const change = async (
    id: string,
    fn: (pm: Postmortem, at: number) => Postmortem,
  ): Promise<StoredPostmortem> => {
    const { number } = await require(id);
    const at = now();
    const updated = await postmortems.update(
      number,
      (current) => fn(current.postmortem, Math.max(at, current.postmortem.updatedAt)),
      at,
    );
    if (!updated) throw new PostmortemNotFoundError(`no postmortem ${id}`, { id });
    return updated;
  };

  /** People whose names the blamelessness check looks for. */
  const people = async (stored: StoredPostmortem): Promise<string[]> => {
    const incident = await incidents.get(stored.incidentNumber);
    const pm = stored.postmortem;
    return [
      ...new Set([
        ...pm.authors,
        ...pm.reviewers.map((r) => r.name),
        ...pm.actionItems.map((a) => a.owner),
        ...(incident ? [incident.declaredBy, ...incident.incident.roles.map((r) => r.person)] : []),
      ]),
    ].filter((p) => p !== NINES_AUTHOR);
  };

  return {
    require,

    /** Starts the incident's postmortem from the template, prefilled from the incident and the SLO data. */
    async create(
      incident: string,
      input: { readonly authors?: readonly string[] | undefined; readonly title?: string | undefined },
      actor: string,
    ): Promise<StoredPostmortem> {
      const detail = await deps.incidentService.detail(incident);
      const { stored } = detail;
      const existing = await postmortems.byIncident(stored.number);
      if (existing) {
        throw new PostmortemExistsError(`incident ${incident} already has postmortem pm-${existing.number}`, {
          postmortemId: existing.postmortem.id,
        });
      }
      const at = now();
      const end = stored.incident.resolvedAt ?? at;
      const facts = deps.incidentService.budgetSoFar(stored.incident, end);
      const authors = [...new Set(input.authors && input.authors.length > 0 ? input.authors : [actor])];
      const inserted = await postmortems.insert(
        stored.number,
        (id) => {
          const draft = draftPostmortemFromIncident(facts, detail.timeline, { id, authors, at });
          const impactEnd = facts.mitigatedAt ?? end;
          const durationMs =
            draft.impact.durationMs > 0
              ? draft.impact.durationMs
              : Math.max(0, impactEnd - impactStart(facts));
          const roles = currentRoles(facts);
          return {
            ...draft,
            ...(input.title ? { title: normalizeLine(input.title) } : {}),
            impact: { ...draft.impact, durationMs },
            summary:
              Object.keys(roles).length > 0
                ? `Roles: ${Object.entries(roles)
                    .map(([r, p]) => `${r} ${p}`)
                    .join(", ")}.`
                : "",
          };
        },
        stored.requirement?.triggers ?? [],
        at,
      );
      if (!inserted) {
        const again = await postmortems.byIncident(stored.number);
        throw new PostmortemExistsError(`incident ${incident} already has a postmortem`, {
          postmortemId: again?.postmortem.id,
        });
      }
      await incidents.addTimeline(
        stored.number,
        { at, kind: "note", text: `Postmortem ${inserted.postmortem.id} started`, actor },
        at,
      );
      return inserted;
    },

    async byIncident(incident: string): Promise<StoredPostmortem> {
      const { number } = await deps.incidentService.require(incident);
      const stored = await postmortems.byIncident(number);
      if (!stored)
        throw new PostmortemNotFoundError(`incident ${incident} has no postmortem`, { incidentId: incident });
      return stored;
    },

    list: (filter: { status?: Postmortem["status"] } = {}) => postmortems.list(filter),

    edit: (id: string, edit: PostmortemEdit, actor: string) =>
      change(id, (pm, at) => editPostmortem(pm, actor, edit, at)),

    /** Applies an edited Markdown export to a draft; returns what the importer could not place. */
    async importMarkdown(id: string, markdown: string, actor: string) {
      let report: {
        unknownSections: readonly string[];
        missingSections: readonly string[];
        warnings: readonly string[];
      } = {
        unknownSections: [],
        missingSections: [],
        warnings: [],
      };
      const stored = await change(id, (pm, at) => {
        const result = applyMarkdownEdit(pm, actor, markdown, at);
        report = {
          unknownSections: result.unknownSections,
          missingSections: result.missingSections,
          warnings: result.warnings,
        };
        return result.postmortem;
      });
      return { stored, ...report };
    },

    async markdown(id: string): Promise<{ stored: StoredPostmortem; markdown: string }> {
      const stored = await require(id);
      return { stored, markdown: exportPostmortemMarkdown(stored.postmortem) };
    },

    /** draft → in review; the blamelessness check adds its findings as review comments (never blockers). */
    async submit(id: string, reviewers: readonly string[], actor: string): Promise<StoredPostmortem> {
      const current = await require(id);
      const names = await people(current);
      return change(id, (pm, at) => {
        const submitted = submitForReview(pm, actor, reviewers, at);
        const everyone = [...new Set([...names, ...submitted.reviewers.map((r) => r.name)])];
        const flags = blamelessnessComments(submitted, everyone, { author: NINES_AUTHOR, at });
        const comments = [
          ...submitted.comments,
          ...flags.map((f, i) => ({ ...f, id: `c${submitted.comments.length + i + 1}` })),
        ];
        return { ...submitted, comments };
      });
    },

    /** A named reviewer approves or requests changes, with an optional comment. */
    review(id: string, decision: ReviewDecisionInput, comment: string | undefined, actor: string) {
      return change(id, (pm, at) => {
        if (decision === "request-changes") {
          return requestChanges(pm, actor, comment?.trim() ? comment : "Changes requested.", at);
        }
        const approved = approvePostmortem(pm, actor, at);
        return comment?.trim()
          ? commentOnPostmortem(approved, { author: actor, at, text: comment })
          : approved;
      });
    },

    comment(id: string, text: string, section: string | undefined, actor: string) {
      return change(id, (pm, at) =>
        commentOnPostmortem(pm, { author: actor, at, text, ...(section ? { section } : {}) }),
      );
    },

    async publish(id: string, actor: string): Promise<StoredPostmortem> {
      const published = await change(id, (pm, at) => publishPostmortem(pm, actor, at));
      await incidents.addTimeline(
        published.incidentNumber,
        { at: now(), kind: "note", text: `Postmortem ${published.postmortem.id} published`, actor },
        now(),
      );
      return published;
    },

    /** Published postmortems ranked by text, filtered by service and cause. */
    async search(query: {
      q?: string | undefined;
      service?: string | undefined;
      cause?: string | undefined;
      limit?: number | undefined;
    }) {
      const published = await postmortems.list({ status: "published" });
      const byId = new Map(published.map((p) => [p.postmortem.id, p] as const));
      const index = buildPostmortemIndex(published.map((p) => p.postmortem));
      return searchPostmortems(index, {
        ...(query.q ? { text: query.q } : {}),
        ...(query.service ? { service: query.service } : {}),
        ...(query.cause ? { cause: query.cause } : {}),
        limit: query.limit ?? 20,
      }).flatMap((hit) => {
        const p = byId.get(hit.postmortemId);
        return p ? [{ hit, stored: p }] : [];
      });
    },

    /** Required postmortems still unpublished after their due date. */
    async overdue() {
      const at = now();
      const [required, published] = await Promise.all([
        incidents.requiringPostmortem(),
        postmortems.publishedAtByIncident(),
      ]);
      const byId = new Map(required.map((r) => [r.incident.id, r] as const));
      const ids = await postmortems.postmortemIdsByIncident(required.map((r) => r.number));
      const tracked = required.map((r) => {
        const publishedAt = published.get(r.number);
        return {
          requirement: {
            incidentId: r.incident.id,
            required: r.requirement?.required ?? false,
            triggers: r.requirement?.triggers ?? [],
            ...(r.requirement?.dueAt !== undefined ? { dueAt: r.requirement.dueAt } : {}),
          },
          ...(publishedAt !== undefined ? { publishedAt } : {}),
        };
      });
      return overduePostmortems(tracked, at).map((o) => {
        const incident = byId.get(o.incidentId);
        return {
          ...o,
          title: incident?.incident.title ?? "",
          postmortem: incident ? ids.get(incident.number) : undefined,
        };
      });
    },

    actionItems: {
      async create(input: NewActionItem): Promise<ActionItem> {
        const pm = await require(input.postmortemId);
        const service = input.service ?? pm.postmortem.services[0];
        const item = createActionItem(
          {
            id: "new",
            description: input.description,
            type: input.type,
            owner: input.owner,
            priority: input.priority,
            dueAt: input.dueAt,
            status: input.status ?? "open",
            ...(input.issueUrl !== undefined ? { issueUrl: input.issueUrl } : {}),
            ...(service !== undefined ? { service } : {}),
            ...(input.team !== undefined ? { team: input.team } : {}),
          },
          pm.postmortem.id,
        );
        const { id: _id, postmortemId: _pm, ...fields } = item;
        return postmortems.actionItems.insert(pm.number, fields, now());
      },

      async get(id: string): Promise<ActionItem> {
        const n = parseActionItemId(id);
        const item = n === undefined ? undefined : await postmortems.actionItems.get(n);
        if (!item) throw new ActionItemNotFoundError(`no action item ${id}`, { id });
        return item;
      },

      async update(id: string, patch: ActionItemPatch): Promise<ActionItem> {
        const current = await this.get(id);
        const moved =
          patch.status !== undefined && patch.status !== current.status
            ? transitionActionItem(current, patch.status)
            : current;
        const { issueUrl: _url, ...rest } = moved;
        const issueUrl = patch.issueUrl === null ? undefined : (patch.issueUrl ?? current.issueUrl);
        const next = checkActionItem({
          ...rest,
          ...(patch.description !== undefined ? { description: normalizeLine(patch.description) } : {}),
          ...(patch.type !== undefined ? { type: patch.type } : {}),
          ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
          ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
          ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}),
          ...(patch.service !== undefined ? { service: patch.service } : {}),
          ...(patch.team !== undefined ? { team: patch.team } : {}),
          ...(issueUrl !== undefined ? { issueUrl } : {}),
        });
        const stored = await postmortems.actionItems.put(parseActionItemId(id) ?? 0, next, now());
        if (!stored) throw new ActionItemNotFoundError(`no action item ${id}`, { id });
        return stored;
      },

      async list(filter: Omit<ActionItemFilter, "postmortemId"> & { postmortemId?: string | undefined }) {
        const { postmortemId, ...rest } = filter;
        const pm = postmortemId === undefined ? undefined : parsePostmortemId(postmortemId);
        if (postmortemId !== undefined && pm === undefined) return [];
        return postmortems.actionItems.list({ ...rest, ...(pm !== undefined ? { postmortemId: pm } : {}) });
      },

      async overdue(): Promise<ActionItem[]> {
        return overdueActionItems(await postmortems.actionItems.list(), now());
      },

      async stats() {
        const items = await postmortems.actionItems.list();
        return { byService: completionRates(items, "service"), byTeam: completionRates(items, "team") };
      },
    },

    incidentId,
  };
}

export type PostmortemService = ReturnType<typeof postmortemService>;
