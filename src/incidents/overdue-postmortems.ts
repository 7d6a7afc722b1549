import type { PostmortemRequirement } from "./postmortem-requirement.js";

/** A requirement and, once published, when its postmortem was published. */
export interface PostmortemTracking {
  readonly requirement: PostmortemRequirement;
  /** Set when the incident's postmortem was published. */
  readonly publishedAt?: number;
}

/** A required postmortem past its due date. */
export interface OverduePostmortem {
  readonly incidentId: string;
  readonly dueAt: number;
  readonly overdueMs: number;
  readonly triggers: PostmortemRequirement["triggers"];
}

/** Required postmortems still unpublished after their due date, most overdue first. */
export function overduePostmortems(tracked: readonly PostmortemTracking[], now: number): OverduePostmortem[] {
  const overdue: OverduePostmortem[] = [];
  for (const t of tracked) {
    const { required, dueAt, incidentId, triggers } = t.requirement;
    if (!required || dueAt === undefined || now <= dueAt) continue;
    if (t.publishedAt !== undefined) continue;
    overdue.push({ incidentId, dueAt, overdueMs: now - dueAt, triggers });
  }
  return overdue.sort((a, b) => b.overdueMs - a.overdueMs || a.incidentId.localeCompare(b.incidentId));
}
