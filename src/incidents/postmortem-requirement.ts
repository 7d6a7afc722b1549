import { IncidentNotResolvedError } from "./errors.js";
import type { Incident } from "./incident.js";
import { DEFAULT_POSTMORTEM_POLICY, type PostmortemPolicy } from "./postmortem-policy.js";

export type PostmortemRuleId =
  | "user-visible-impact"
  | "data-loss"
  | "on-call-intervention"
  | "resolution-time"
  | "monitoring-failure"
  | "budget-consumed"
  | "severity";

/** A rule that required the postmortem, with a human reason. */
export interface PostmortemTrigger {
  readonly ruleId: PostmortemRuleId;
  readonly reason: string;
}

/** Whether an incident needs a postmortem, why, and by when. */
export interface PostmortemRequirement {
  readonly incidentId: string;
  readonly required: boolean;
  readonly triggers: readonly PostmortemTrigger[];
  /** Resolution time + policy.dueAfterMs when required. */
  readonly dueAt?: number;
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return Number.isInteger(m) ? `${m} min` : `${m.toFixed(1)} min`;
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/**
 * Decides, when an incident is resolved, whether it needs a postmortem and which rules said so
 * (SRE book ch. 15 triggers; the answer does not depend on whether anything paged).
 * Throws NINES_ERR_INCIDENT_NOT_RESOLVED for an unresolved incident.
 */
export function evaluatePostmortemRequirement(
  incident: Incident,
  policy: PostmortemPolicy = DEFAULT_POSTMORTEM_POLICY,
): PostmortemRequirement {
  if (incident.status !== "resolved" || incident.resolvedAt === undefined) {
    throw new IncidentNotResolvedError(`incident ${incident.id} is ${incident.status}, not resolved`, {
      status: incident.status,
    });
  }
  const triggers: PostmortemTrigger[] = [];
  const impact = incident.customerImpact;

  if (
    policy.userVisibleImpactMs !== null &&
    impact.userVisible &&
    impact.userVisibleDurationMs > policy.userVisibleImpactMs
  ) {
    triggers.push({
      ruleId: "user-visible-impact",
      reason: `Users saw downtime or degradation for ${minutes(impact.userVisibleDurationMs)}, more than ${minutes(policy.userVisibleImpactMs)}`,
    });
  }
  if (policy.dataLoss && impact.dataLoss) {
    triggers.push({ ruleId: "data-loss", reason: "Data was lost" });
  }
  if (policy.onCallIntervention && incident.interventions.length > 0) {
    const kinds = [...new Set(incident.interventions.map((i) => i.kind))].join(", ");
    triggers.push({ ruleId: "on-call-intervention", reason: `On-call intervened in production (${kinds})` });
  }
  const began = Math.min(incident.impactStartedAt ?? incident.openedAt, incident.openedAt);
  const resolution = incident.resolvedAt - began;
  if (policy.resolutionTimeMs !== null && resolution > policy.resolutionTimeMs) {
    triggers.push({
      ruleId: "resolution-time",
      reason: `Resolution took ${minutes(resolution)}, more than ${minutes(policy.resolutionTimeMs)}`,
    });
  }
  if (policy.monitoringFailure && incident.detection.source !== "page") {
    const by = incident.detection.source === "person" ? "a person" : "the budget-burn detector";
    triggers.push({
      ruleId: "monitoring-failure",
      reason: `Found by ${by}, not by a page: monitoring missed it`,
    });
  }
  if (policy.budgetConsumedFraction !== null) {
    const limit = policy.budgetConsumedFraction;
    for (const c of incident.budgetConsumed) {
      if (c.fraction > limit) {
        triggers.push({
          ruleId: "budget-consumed",
          reason: `SLO ${c.sloId} lost ${pct(c.fraction)} of its error budget, more than ${pct(limit)}`,
        });
      }
    }
  }
  if (policy.severities.includes(incident.severity)) {
    triggers.push({
      ruleId: "severity",
      reason: `Severity ${incident.severity} always requires a postmortem`,
    });
  }
  const required = triggers.length > 0;
  return {
    incidentId: incident.id,
    required,
    triggers,
    ...(required ? { dueAt: incident.resolvedAt + policy.dueAfterMs } : {}),
  };
}
