import { assertUtcMs } from "./assert-utc-ms.js";
import type { SeverityLevel } from "./severity.js";

export type IncidentStatus = "investigating" | "identified" | "mitigated" | "resolved";
/** The incident-management roles of SRE book ch. 14 (plus the scribe who keeps the timeline). */
export type IncidentRole = "commander" | "communications" | "operations" | "scribe";
export const INCIDENT_ROLES: readonly IncidentRole[] = [
  "commander",
  "communications",
  "operations",
  "scribe",
];
/** How the incident was found: a page, a person, or the budget-burn ("found without paging") detector. */
export type DetectionSource = "page" | "person" | "budget-burn";
/** On-call actions that change production to stop the bleeding (SRE book ch. 15 triggers). */
export type InterventionKind = "rollback" | "traffic-reroute" | "manual";

/** How and when the incident was found. */
export interface Detection {
  readonly source: DetectionSource;
  readonly at: number;
  /** Page id, person's name or detector proposal id. */
  readonly ref?: string;
}

/** What users experienced. */
export interface CustomerImpact {
  readonly userVisible: boolean;
  /** How long users saw downtime or degradation, in ms. */
  readonly userVisibleDurationMs: number;
  readonly dataLoss: boolean;
  readonly usersAffected?: number;
  readonly description: string;
}

/** A production change on-call made to stop the bleeding. */
export interface Intervention {
  readonly kind: InterventionKind;
  readonly at: number;
  readonly by?: string;
  readonly note?: string;
}

/** Fraction of an SLO's error budget (for its window) this incident consumed. */
export interface SloBudgetConsumption {
  readonly sloId: string;
  readonly fraction: number;
}

/** One holding of a role, from assignment to unassignment (or still held). */
export interface RoleAssignment {
  readonly role: IncidentRole;
  readonly person: string;
  readonly assignedAt: number;
  readonly assignedBy: string;
  readonly unassignedAt?: number;
  readonly unassignedBy?: string;
}

/** One status move, with who made it and why. */
export interface StatusChange {
  readonly from: IncidentStatus | null;
  readonly to: IncidentStatus;
  readonly at: number;
  readonly by: string;
  readonly note?: string;
}

/** An incident; times are UTC ms. Built by {@link createIncident}, changed only through the functions of this domain. */
export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: SeverityLevel;
  readonly status: IncidentStatus;
  readonly openedAt: number;
  /** When users started to be affected, if known (may precede `openedAt`). */
  readonly impactStartedAt?: number;
  readonly mitigatedAt?: number;
  readonly resolvedAt?: number;
  readonly detection: Detection;
  readonly services: readonly string[];
  readonly slos: readonly string[];
  readonly customerImpact: CustomerImpact;
  readonly interventions: readonly Intervention[];
  readonly budgetConsumed: readonly SloBudgetConsumption[];
  /** Normalized cause tags (see normalizeCauseTag), used for recurrence and search. */
  readonly causeTags: readonly string[];
  /** Every assignment ever made; current holders have no `unassignedAt`. */
  readonly roles: readonly RoleAssignment[];
  readonly statusHistory: readonly StatusChange[];
}

/** What declaring an incident needs; the validated body of the create route. */
export interface NewIncident {
  readonly id: string;
  readonly title: string;
  readonly severity: SeverityLevel;
  readonly openedAt: number;
  readonly openedBy: string;
  readonly impactStartedAt?: number;
  readonly detection: Detection;
  readonly services: readonly string[];
  readonly slos?: readonly string[];
  readonly customerImpact?: Partial<CustomerImpact>;
  readonly causeTags?: readonly string[];
}

/**
 * Declares an incident in status `investigating`.
 * @example createIncident({ id: "inc-1", title: "Checkout 5xx", severity: "SEV2", openedAt: 0, openedBy: "alice",
 *   detection: { source: "page", at: 0 }, services: ["checkout"] })
 */
export function createIncident(input: NewIncident): Incident {
  assertUtcMs(input.openedAt, "openedAt");
  assertUtcMs(input.detection.at, "detection.at");
  if (input.impactStartedAt !== undefined) assertUtcMs(input.impactStartedAt, "impactStartedAt");
  return {
    id: input.id,
    title: input.title,
    severity: input.severity,
    status: "investigating",
    openedAt: input.openedAt,
    ...(input.impactStartedAt !== undefined ? { impactStartedAt: input.impactStartedAt } : {}),
    detection: input.detection,
    services: [...input.services],
    slos: [...(input.slos ?? [])],
    customerImpact: {
      userVisible: input.customerImpact?.userVisible ?? false,
      userVisibleDurationMs: input.customerImpact?.userVisibleDurationMs ?? 0,
      dataLoss: input.customerImpact?.dataLoss ?? false,
      description: input.customerImpact?.description ?? "",
      ...(input.customerImpact?.usersAffected !== undefined
        ? { usersAffected: input.customerImpact.usersAffected }
        : {}),
    },
    interventions: [],
    budgetConsumed: [],
    causeTags: [...(input.causeTags ?? [])],
    roles: [],
    statusHistory: [{ from: null, to: "investigating", at: input.openedAt, by: input.openedBy }],
  };
}

/** Records a rollback, traffic reroute or other manual intervention. */
export function recordIntervention(incident: Incident, intervention: Intervention): Incident {
  assertUtcMs(intervention.at, "intervention.at");
  return { ...incident, interventions: [...incident.interventions, intervention] };
}

/** Replaces the customer-impact assessment (it usually sharpens as the incident goes on). */
export function updateCustomerImpact(incident: Incident, impact: Partial<CustomerImpact>): Incident {
  return { ...incident, customerImpact: { ...incident.customerImpact, ...impact } };
}

/** Sets how much of each SLO's error budget the incident consumed (latest value per SLO wins). */
export function recordBudgetConsumed(
  incident: Incident,
  consumed: readonly SloBudgetConsumption[],
): Incident {
  const bySlo = new Map(incident.budgetConsumed.map((c) => [c.sloId, c] as const));
  for (const c of consumed) bySlo.set(c.sloId, c);
  const slos = [...new Set([...incident.slos, ...bySlo.keys()])];
  return { ...incident, slos, budgetConsumed: [...bySlo.values()] };
}
