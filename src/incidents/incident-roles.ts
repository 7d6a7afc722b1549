import { assertUtcMs } from "./assert-utc-ms.js";
import {
  IncidentClosedError,
  IncidentRoleAlreadyAssignedError,
  IncidentRoleNotAssignedError,
  IncidentTimeInvalidError,
} from "./errors.js";
import type { Incident, IncidentRole, RoleAssignment } from "./incident.js";
import { lastChangeAt } from "./incident-status.js";

interface RoleChange {
  readonly at: number;
  readonly by: string;
}

/** Who holds each role now (a person may hold several roles in a small incident). */
export function currentRoles(incident: Incident): Partial<Record<IncidentRole, string>> {
  const holders: Partial<Record<IncidentRole, string>> = {};
  for (const r of incident.roles) if (r.unassignedAt === undefined) holders[r.role] = r.person;
  return holders;
}

function checkChange(incident: Incident, change: RoleChange): void {
  if (incident.status === "resolved") {
    throw new IncidentClosedError(`incident ${incident.id} is resolved`, { status: incident.status });
  }
  assertUtcMs(change.at, "at");
  const last = lastChangeAt(incident);
  if (change.at < last) {
    throw new IncidentTimeInvalidError(`role change at ${change.at} precedes the last change at ${last}`, {
      field: "at",
      value: change.at,
      lastChangeAt: last,
    });
  }
}

function close(roles: readonly RoleAssignment[], role: IncidentRole, change: RoleChange): RoleAssignment[] {
  return roles.map((r) =>
    r.role === role && r.unassignedAt === undefined
      ? { ...r, unassignedAt: change.at, unassignedBy: change.by }
      : r,
  );
}

/**
 * Gives `role` to `person`. A current holder is handed off (unassigned at the same instant), as
 * in the explicit handoffs of SRE book ch. 14. The history keeps every assignment.
 */
export function assignRole(
  incident: Incident,
  role: IncidentRole,
  person: string,
  change: RoleChange,
): Incident {
  checkChange(incident, change);
  if (currentRoles(incident)[role] === person) {
    throw new IncidentRoleAlreadyAssignedError(`${person} is already ${role} of ${incident.id}`, {
      role,
      person,
    });
  }
  const assignment: RoleAssignment = { role, person, assignedAt: change.at, assignedBy: change.by };
  return { ...incident, roles: [...close(incident.roles, role, change), assignment] };
}

/** Leaves `role` unheld; throws NINES_ERR_INCIDENT_ROLE_NOT_ASSIGNED if nobody holds it. */
export function unassignRole(incident: Incident, role: IncidentRole, change: RoleChange): Incident {
  checkChange(incident, change);
  if (currentRoles(incident)[role] === undefined) {
    throw new IncidentRoleNotAssignedError(`nobody holds ${role} on ${incident.id}`, { role });
  }
  return { ...incident, roles: close(incident.roles, role, change) };
}
