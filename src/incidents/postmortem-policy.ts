import { PostmortemPolicyInvalidError } from "./errors.js";
import type { SeverityLevel } from "./severity.js";

/**
 * When a postmortem is required. Defaults follow the triggers of SRE book ch. 15 ("Postmortem
 * Culture"); `null` or `false` switches a rule off.
 */
export interface PostmortemPolicy {
  /** User-visible downtime or degradation longer than this (ms). */
  readonly userVisibleImpactMs: number | null;
  /** Data loss of any kind. */
  readonly dataLoss: boolean;
  /** On-call intervention: rollback, traffic reroute or other manual change. */
  readonly onCallIntervention: boolean;
  /** Resolution time (impact start, or opening, to resolution) longer than this (ms). */
  readonly resolutionTimeMs: number | null;
  /** Monitoring failure: found by a person or the budget-burn detector rather than a page. */
  readonly monitoringFailure: boolean;
  /** Any SLO's budget consumed by the incident above this fraction. */
  readonly budgetConsumedFraction: number | null;
  /** Severities that always require one. */
  readonly severities: readonly SeverityLevel[];
  /** Time from resolution to the postmortem's due date (ms). */
  readonly dueAfterMs: number;
}

/**
 * The 20% budget line is the SRE Workbook's example error budget policy ("a single incident
 * consuming more than 20% of error budget over four weeks" needs a postmortem). The time
 * thresholds and the SEV1/SEV2 rule are nines' choices; the book leaves them to each team.
 */
export const DEFAULT_POSTMORTEM_POLICY: PostmortemPolicy = {
  userVisibleImpactMs: 5 * 60_000,
  dataLoss: true,
  onCallIntervention: true,
  resolutionTimeMs: 60 * 60_000,
  monitoringFailure: true,
  budgetConsumedFraction: 0.2,
  severities: ["SEV1", "SEV2"],
  dueAfterMs: 5 * 86_400_000,
};

function checkMs(field: string, value: number | null): void {
  if (value !== null && !(Number.isFinite(value) && value >= 0)) {
    throw new PostmortemPolicyInvalidError(`${field} must be a non-negative number of ms`, { field, value });
  }
}

/** Merges overrides over {@link DEFAULT_POSTMORTEM_POLICY} and checks every threshold. */
export function postmortemPolicy(overrides: Partial<PostmortemPolicy> = {}): PostmortemPolicy {
  const policy = { ...DEFAULT_POSTMORTEM_POLICY, ...overrides };
  checkMs("userVisibleImpactMs", policy.userVisibleImpactMs);
  checkMs("resolutionTimeMs", policy.resolutionTimeMs);
  checkMs("dueAfterMs", policy.dueAfterMs);
  const f = policy.budgetConsumedFraction;
  if (f !== null && !(f >= 0 && f <= 1)) {
    throw new PostmortemPolicyInvalidError("budgetConsumedFraction must be in [0, 1]", {
      field: "budgetConsumedFraction",
      value: f,
    });
  }
  return policy;
}
