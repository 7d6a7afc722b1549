import type { ActionItem } from "./action-item.js";
import type { StoredIncident } from "./incident.store.js";
import type { IncidentView, PostmortemView } from "./incident-api.schemas.js";
import { currentRoles } from "./incident-roles.js";
import type { StoredPostmortem } from "./postmortem.store.js";

/** The API's view of a stored incident. */
export function incidentView(
  stored: StoredIncident,
  postmortem?: { readonly id: string; readonly status: string } | undefined,
  openItems?: ReadonlyMap<string, readonly ActionItem[]>,
): IncidentView {
  const i = stored.incident;
  const roles = Object.fromEntries(
    Object.entries(currentRoles(i)).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    source: stored.source,
    declaredBy: stored.declaredBy,
    declaredAt: i.openedAt,
    detectedAt: i.detection.at,
    ...(i.detection.ref !== undefined ? { detectionRef: i.detection.ref } : {}),
    ...(i.impactStartedAt !== undefined ? { impactStartedAt: i.impactStartedAt } : {}),
    ...(i.mitigatedAt !== undefined ? { mitigatedAt: i.mitigatedAt } : {}),
    ...(i.resolvedAt !== undefined ? { resolvedAt: i.resolvedAt } : {}),
    updatedAt: stored.updatedAt,
    services: [...i.services],
    slos: [...i.slos],
    customerImpact: { ...i.customerImpact },
    roles,
    roleHistory: i.roles.map((r) => ({ ...r })),
    statusHistory: i.statusHistory.map((s) => ({ ...s })),
    interventions: i.interventions.map((x) => ({ ...x })),
    budgetConsumed: i.budgetConsumed.map((b) => ({ ...b })),
    causeTags: [...i.causeTags],
    pageIds: [...stored.pageIds],
    relatedPostmortems: stored.relatedPostmortems.map((r) => ({
      ...r,
      matchedTags: [...r.matchedTags],
      ...(openItems ? { openActionItems: (openItems.get(r.postmortemId) ?? []).map((a) => ({ ...a })) } : {}),
    })),
    postmortemRequirement: stored.requirement
      ? {
          required: stored.requirement.required,
          triggers: stored.requirement.triggers.map((t) => ({ ...t })),
          ...(stored.requirement.dueAt !== undefined ? { dueAt: stored.requirement.dueAt } : {}),
        }
      : null,
    postmortem: postmortem ? { id: postmortem.id, status: postmortem.status } : null,
  };
}

/** The API's view of a stored postmortem. */
export function postmortemView(stored: StoredPostmortem): PostmortemView {
  const pm = stored.postmortem;
  return {
    ...pm,
    authors: [...pm.authors],
    reviewers: pm.reviewers.map((r) => ({ ...r })),
    comments: pm.comments.map((c) => ({ ...c })),
    services: [...pm.services],
    causeTags: [...pm.causeTags],
    impact: { ...pm.impact },
    actionItems: pm.actionItems.map((a) => ({ ...a })),
    lessons: {
      wentWell: [...pm.lessons.wentWell],
      wentWrong: [...pm.lessons.wentWrong],
      gotLucky: [...pm.lessons.gotLucky],
    },
    timeline: pm.timeline.map((e) => ({ ...e })),
    links: pm.links.map((l) => ({ ...l })),
    extraSections: pm.extraSections.map((x) => ({ ...x })),
    requiredBy: stored.requiredBy.map((t) => ({ ...t })),
  };
}

export function postmortemSummary(stored: StoredPostmortem) {
  const pm = stored.postmortem;
  return {
    id: pm.id,
    incidentId: pm.incidentId,
    title: pm.title,
    status: pm.status,
    authors: [...pm.authors],
    reviewers: pm.reviewers.map((r) => ({ ...r })),
    services: [...pm.services],
    causeTags: [...pm.causeTags],
    updatedAt: pm.updatedAt,
    ...(pm.publishedAt !== undefined ? { publishedAt: pm.publishedAt } : {}),
  };
}
