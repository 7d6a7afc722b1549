import { assertUtcMs } from "./assert-utc-ms.js";
import { IncidentTimeInvalidError, IncidentTransitionIllegalError } from "./errors.js";
import type { Incident, IncidentStatus } from "./incident.js";

/**
 * Legal status moves. Forward steps may skip (a rollback can mitigate before the cause is
 * identified); going back to `investigating` covers a wrong hypothesis, a mitigation that did
 * not hold, and reopening a resolved incident. Staying in place is not a transition.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  investigating: ["identified", "mitigated", "resolved"],
  identified: ["investigating", "mitigated", "resolved"],
  mitigated: ["investigating", "resolved"],
  resolved: ["investigating"],
};

/** True when an incident may move from `from` to `to`. */
export function canTransitionIncident(from: IncidentStatus, to: IncidentStatus): boolean {
  return INCIDENT_TRANSITIONS[from].includes(to);
}

/** Time of the incident's latest recorded status or role change. */
export function lastChangeAt(incident: Incident): number {
  let last = incident.openedAt;
  for (const s of incident.statusHistory) last = Math.max(last, s.at);
  for (const r of incident.roles) last = Math.max(last, r.assignedAt, r.unassignedAt ?? 0);
  return last;
}

/**
 * Moves an incident to a new status, recording who and when. Throws
 * NINES_ERR_INCIDENT_TRANSITION_ILLEGAL for moves outside {@link INCIDENT_TRANSITIONS} and
 * NINES_ERR_INCIDENT_TIME_INVALID when `at` is earlier than the last change.
 * @example transitionIncident(incident, "mitigated", { at: t, by: "alice", note: "rolled back" })
 */
export function transitionIncident(
  incident: Incident,
  to: IncidentStatus,
  change: { readonly at: number; readonly by: string; readonly note?: string },
): Incident {
  const from = incident.status;
  if (!canTransitionIncident(from, to)) {
    throw new IncidentTransitionIllegalError(`incident ${incident.id} cannot move from ${from} to ${to}`, {
      from,
      to,
      allowed: INCIDENT_TRANSITIONS[from],
    });
  }
  assertUtcMs(change.at, "at");
  const last = lastChangeAt(incident);
  if (change.at < last) {
    throw new IncidentTimeInvalidError(`status change at ${change.at} precedes the last change at ${last}`, {
      field: "at",
      value: change.at,
      lastChangeAt: last,
    });
  }
  const entry = { from, to, at: change.at, by: change.by, ...(change.note ? { note: change.note } : {}) };
  const next: Incident = { ...incident, status: to, statusHistory: [...incident.statusHistory, entry] };
  if (to === "resolved") {
    return { ...next, resolvedAt: change.at, mitigatedAt: incident.mitigatedAt ?? change.at };
  }
  if (to === "mitigated") return { ...next, mitigatedAt: change.at };
  if (to === "investigating") {
    // Reopened or regressed: the earlier mitigation/resolution no longer holds.
    const { resolvedAt: _r, mitigatedAt: _m, ...rest } = next;
    return rest;
  }
  return next;
}
