import {
  type CustomerImpact,
  createIncident,
  type Incident,
  type IncidentRole,
  type IncidentStatus,
  type InterventionKind,
  recordBudgetConsumed,
  recordIntervention,
  updateCustomerImpact,
} from "./incident.js";
import {
  detectionSourceOf,
  type IncidentFilter,
  type IncidentSource,
  type IncidentStore,
  incidentId,
  parseIncidentId,
  type RecurrenceLink,
  type StoredIncident,
} from "./incident.store.js";
import { IncidentNotFoundError } from "./incident-api-errors.js";
import { assignRole, currentRoles, unassignRole } from "./incident-roles.js";
import type { IncidentSignalSource } from "./incident-signal-source.js";
import { lastChangeAt, transitionIncident } from "./incident-status.js";
import type { PostmortemStore } from "./postmortem.store.js";
import type { PostmortemPolicy } from "./postmortem-policy.js";
import { evaluatePostmortemRequirement } from "./postmortem-requirement.js";
import { findRecurrences } from "./recurrence.js";
import type { SeverityLevel } from "./severity.js";
import type { SloBudgetReader } from "./slo-budget.js";
import { incidentEvents, mergeTimelines, type TimelineEvent } from "./timeline.js";

/** What declaring an incident takes (the API body, plus the source for the detector). */
export interface DeclareInput {
  readonly title: string;
  readonly severity: SeverityLevel;
  readonly services: readonly string[];
  readonly slos?: readonly string[] | undefined;
  readonly customerImpact?: Partial<CustomerImpact> | undefined;
  readonly causeTags?: readonly string[] | undefined;
  readonly impactStartedAt?: number | undefined;
  readonly detectedAt?: number | undefined;
  readonly fromPageId?: string | undefined;
  readonly pageIds?: readonly string[] | undefined;
  readonly commander?: string | undefined;
  readonly note?: string | undefined;
}

/** A change to an incident (PATCH). */
export interface IncidentPatch {
  readonly title?: string | undefined;
  readonly severity?: SeverityLevel | undefined;
  readonly status?: IncidentStatus | undefined;
  readonly note?: string | undefined;
  readonly roles?: Partial<Record<IncidentRole, string | null>> | undefined;
  readonly services?: readonly string[] | undefined;
  readonly slos?: readonly string[] | undefined;
  readonly customerImpact?: Partial<CustomerImpact> | undefined;
  readonly causeTags?: readonly string[] | undefined;
  readonly pageIds?: readonly string[] | undefined;
}

export interface IncidentServiceDeps {
  readonly incidents: IncidentStore;
  readonly postmortems: PostmortemStore;
  readonly signals: IncidentSignalSource;
  readonly budget?: SloBudgetReader | undefined;
  readonly policy: PostmortemPolicy;
  readonly now?: () => number;
}

/** An incident with its merged timeline. */
export interface IncidentDetail {
  readonly stored: StoredIncident;
  readonly timeline: readonly TimelineEvent[];
  readonly postmortem?: { readonly id: string; readonly status: string } | undefined;
}

/** When the incident's impact began: the earliest of impact start, detection and declaration. */
export function impactStart(incident: Incident): number {
  return Math.min(incident.impactStartedAt ?? incident.openedAt, incident.openedAt, incident.detection.at);
}

/** Incidents: declare, change, resolve (with the postmortem requirement) and read with their timeline. */
export function incidentService(deps: IncidentServiceDeps) {
  const now = deps.now ?? Date.now;
  const { incidents, postmortems } = deps;

  const require = async (id: string): Promise<StoredIncident> => {
    const n = parseIncidentId(id);
    const stored = n === undefined ? undefined : await incidents.get(n);
    if (!stored) throw new IncidentNotFoundError(`no incident ${id}`, { id });
    return stored;
  };

  const recurrences = async (
    incident: Pick<Incident, "services" | "causeTags">,
  ): Promise<RecurrenceLink[]> => {
    if (incident.causeTags.length === 0) return [];
    const published = (await postmortems.list({ status: "published" })).map((p) => p.postmortem);
    return findRecurrences({ services: incident.services, causeTags: incident.causeTags }, published).map(
      (r) => ({
        postmortemId: r.postmortemId,
        incidentId: r.incidentId,
        title: r.title,
        matchedTags: r.matchedTags,
        textSimilarity: r.textSimilarity,
      }),
    );
  };

  const recurrenceNotes = (links: readonly RecurrenceLink[], known: readonly RecurrenceLink[], at: number) =>
    links
      .filter((l) => !known.some((k) => k.postmortemId === l.postmortemId))
      .map((l) => ({
        at,
        kind: "note" as const,
        text: `Recurrence: same service and cause (${l.matchedTags.join(", ")}) as ${l.incidentId}, postmortem ${l.postmortemId} "${l.title}"`,
        actor: "nines",
      }));

  /** SLO ids of the services, when the incident names services but no SLOs. */
  const slosOf = (services: readonly string[]): string[] => {
    const wanted = new Set(services);
    return (deps.budget?.slos() ?? []).filter((s) => wanted.has(s.service)).map((s) => s.id);
  };

  /** Budget each affected SLO lost between impact start and `until`, from the SLO runtime. */
  const withBudget = (incident: Incident, until: number): Incident => {
    if (!deps.budget) return incident;
    const from = impactStart(incident);
    const consumed = incident.slos.flatMap((sloId) => {
      const fraction = deps.budget?.consumed(sloId, from, Math.max(until, from + 1));
      return fraction === undefined ? [] : [{ sloId, fraction }];
    });
    return consumed.length > 0 ? recordBudgetConsumed(incident, consumed) : incident;
  };

  const resolveChange = (current: StoredIncident, at: number, by: string, note?: string) => {
    const resolved = withBudget(
      transitionIncident(current.incident, "resolved", { at, by, ...(note ? { note } : {}) }),
      at,
    );
    const requirement = evaluatePostmortemRequirement(resolved, deps.policy);
    const text = requirement.required
      ? `Postmortem required by ${requirement.triggers.map((t) => t.ruleId).join(", ")}`
      : "No postmortem required by the rules";
    return {
      incident: resolved,
      requirement: {
        required: requirement.required,
        triggers: requirement.triggers,
        ...(requirement.dueAt !== undefined ? { dueAt: requirement.dueAt } : {}),
      },
      timeline: [{ at, kind: "note" as const, text, actor: "nines" }],
    };
  };

  return {
    require,

    /** Declares an incident (API, CLI, UI, a page, or the detector with `source: "detector"`). */
    async declare(
      input: DeclareInput,
      actor: string,
      options: {
        readonly source?: IncidentSource;
        readonly detectionRef?: string;
        readonly episode?: { readonly sloId: string; readonly consumed: number };
        readonly timeline?: readonly Omit<TimelineEvent, "ref">[];
      } = {},
    ): Promise<StoredIncident | undefined> {
      const at = now();
      const page = input.fromPageId ? await deps.signals.page(input.fromPageId) : undefined;
      const source: IncidentSource = options.source ?? (input.fromPageId ? "page" : "manual");
      const detectedAt = Math.min(input.detectedAt ?? page?.at ?? at, at);
      const slos = input.slos && input.slos.length > 0 ? input.slos : slosOf(input.services);
      let incident = createIncident({
        id: "new",
        title: input.title,
        severity: input.severity,
        openedAt: at,
        openedBy: actor,
        ...(input.impactStartedAt !== undefined
          ? { impactStartedAt: Math.min(input.impactStartedAt, at) }
          : {}),
        detection: {
          source: detectionSourceOf(source),
          at: detectedAt,
          // A page nines knows is referred to by its own id ("42", also when given as "page-42").
          ref: options.detectionRef ?? page?.id ?? input.fromPageId ?? actor,
        },
        services: [...new Set(input.services)],
        slos: [...new Set(slos)],
        ...(input.customerImpact ? { customerImpact: input.customerImpact } : {}),
        causeTags: [...new Set(input.causeTags ?? [])],
      });
      if (input.commander) incident = assignRole(incident, "commander", input.commander, { at, by: actor });
      const links = await recurrences(incident);
      const pageIds = [
        ...new Set([...(input.fromPageId ? [page?.id ?? input.fromPageId] : []), ...(input.pageIds ?? [])]),
      ];
      const { id: _id, ...withoutId } = incident;
      return incidents.insert(
        { incident: withoutId, source, declaredBy: actor, pageIds, relatedPostmortems: links },
        {
          now: at,
          timeline: [
            ...(options.timeline ?? []),
            ...(input.note ? [{ at, kind: "note" as const, text: input.note, actor }] : []),
            ...(page?.title
              ? [{ at, kind: "note" as const, text: `Declared from page ${page.id}: ${page.title}`, actor }]
              : []),
            ...recurrenceNotes(links, [], at),
          ],
          ...(options.episode ? { episode: options.episode } : {}),
        },
      );
    },

    /** Applies a PATCH: fields, roles, then the status move (resolving evaluates the postmortem rules). */
    async update(id: string, patch: IncidentPatch, actor: string): Promise<StoredIncident> {
      const { number } = await require(id);
      const updated = await incidents.update(
        number,
        async (current) => {
          const at = Math.max(now(), lastChangeAt(current.incident));
          const lines: Array<Omit<TimelineEvent, "ref">> = [];
          let incident = current.incident;
          if (patch.title !== undefined && patch.title !== incident.title) {
            lines.push({ at, kind: "note", text: `Title changed to "${patch.title}"`, actor });
            incident = { ...incident, title: patch.title };
          }
          if (patch.severity !== undefined && patch.severity !== incident.severity) {
            lines.push({
              at,
              kind: "note",
              text: `Severity ${incident.severity} → ${patch.severity}`,
              actor,
            });
            incident = { ...incident, severity: patch.severity };
          }
          if (patch.services !== undefined)
            incident = { ...incident, services: [...new Set(patch.services)] };
          if (patch.slos !== undefined) incident = { ...incident, slos: [...new Set(patch.slos)] };
          if (patch.causeTags !== undefined)
            incident = { ...incident, causeTags: [...new Set(patch.causeTags)] };
          if (patch.customerImpact !== undefined)
            incident = updateCustomerImpact(incident, patch.customerImpact);
          for (const [role, person] of Object.entries(patch.roles ?? {}) as Array<
            [IncidentRole, string | null]
          >) {
            const holder = currentRoles(incident)[role];
            if (person === null) {
              if (holder !== undefined) incident = unassignRole(incident, role, { at, by: actor });
            } else if (holder !== person) {
              incident = assignRole(incident, role, person, { at, by: actor });
            }
          }
          let requirement = current.requirement;
          if (patch.status !== undefined) {
            if (patch.status === "resolved") {
              const resolved = resolveChange({ ...current, incident }, at, actor, patch.note);
              incident = resolved.incident;
              requirement = resolved.requirement;
              lines.push(...resolved.timeline);
            } else {
              incident = transitionIncident(incident, patch.status, {
                at,
                by: actor,
                ...(patch.note ? { note: patch.note } : {}),
              });
            }
          } else if (patch.note) {
            lines.push({ at, kind: "note", text: patch.note, actor });
          }
          let related = current.relatedPostmortems;
          if (patch.causeTags !== undefined || patch.services !== undefined) {
            const links = await recurrences(incident);
            lines.push(...recurrenceNotes(links, related, at));
            related = [
              ...related,
              ...links.filter((l) => !related.some((r) => r.postmortemId === l.postmortemId)),
            ];
          }
          const pageIds = patch.pageIds
            ? [...new Set([...current.pageIds, ...patch.pageIds])]
            : current.pageIds;
          return {
            next: {
              ...current,
              incident,
              relatedPostmortems: related,
              pageIds,
              ...(requirement ? { requirement } : {}),
            },
            timeline: lines,
          };
        },
        now(),
      );
      if (!updated) throw new IncidentNotFoundError(`no incident ${id}`, { id });
      return updated;
    },

    /** Resolves the incident and records which postmortem rules (if any) require a postmortem. */
    async resolve(id: string, actor: string, note?: string): Promise<StoredIncident> {
      return this.update(id, { status: "resolved", ...(note ? { note } : {}) }, actor);
    },

    async addNote(id: string, text: string, actor: string, at?: number): Promise<TimelineEvent> {
      const { number } = await require(id);
      const when = Math.min(at ?? now(), now());
      await incidents.addTimeline(number, { at: when, kind: "note", text, actor }, now());
      return { at: when, kind: "note", text, actor };
    },

    /** Records a rollback, traffic reroute or manual change (an on-call intervention). */
    async intervene(
      id: string,
      input: {
        readonly kind: InterventionKind;
        readonly at?: number | undefined;
        readonly note?: string | undefined;
      },
      actor: string,
    ): Promise<StoredIncident> {
      const { number } = await require(id);
      const updated = await incidents.update(
        number,
        (current) => ({
          next: {
            ...current,
            incident: recordIntervention(current.incident, {
              kind: input.kind,
              at: Math.min(input.at ?? now(), now()),
              by: actor,
              ...(input.note ? { note: input.note } : {}),
            }),
          },
        }),
        now(),
      );
      if (!updated) throw new IncidentNotFoundError(`no incident ${id}`, { id });
      return updated;
    },

    async list(filter: IncidentFilter): Promise<StoredIncident[]> {
      return incidents.list(filter);
    },

    /** The incident with its timeline: own events, related signals (from the signals port) and stored notes. */
    async detail(id: string): Promise<IncidentDetail> {
      const stored = await require(id);
      const incident = stored.incident;
      const from = impactStart(incident) - 15 * 60_000;
      const to = incident.resolvedAt ?? now();
      const [related, entries, pm] = await Promise.all([
        deps.signals.related(incident.services, from, to),
        incidents.timeline(stored.number),
        postmortems.postmortemIdsByIncident([stored.number]),
      ]);
      const notes = entries.map(({ id: _id, ...e }) => e);
      return {
        stored,
        timeline: mergeTimelines(incidentEvents(incident), related, notes),
        postmortem: pm.get(stored.number),
      };
    },

    /** Budget consumed by the incident so far, per affected SLO (for the postmortem's impact). */
    budgetSoFar(incident: Incident, until: number): Incident {
      return withBudget(incident, until);
    },

    incidentId,
  };
}

export type IncidentService = ReturnType<typeof incidentService>;
