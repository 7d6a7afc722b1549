import { type Static, Type } from "typebox";
import { type PostmortemPolicy, postmortemPolicy } from "./postmortem-policy.js";
import type { PostmortemRuleId } from "./postmortem-requirement.js";
import type { SeverityLevel } from "./severity.js";

/** Every postmortem requirement rule, in evaluation order. */
export const POSTMORTEM_RULE_IDS: readonly PostmortemRuleId[] = [
  "user-visible-impact",
  "data-loss",
  "on-call-intervention",
  "resolution-time",
  "monitoring-failure",
  "budget-consumed",
  "severity",
];

const ruleList = `(?:${POSTMORTEM_RULE_IDS.join("|")})`;
const severityList = "SEV[1-4]";
const listPattern = (item: string) => `^\\s*(?:${item}\\s*(?:,\\s*${item}\\s*)*)?$`;

/** The `incidents` section of nines.yaml: postmortem requirement rules and the "found without paging" detector. */
export const IncidentsConfigSchema = Type.Object(
  {
    postmortemRules: Type.String({
      pattern: listPattern(ruleList),
      default: POSTMORTEM_RULE_IDS.join(","),
      description:
        "Comma-separated postmortem requirement rules that are on (SRE book ch. 15 triggers): user-visible-impact, data-loss, on-call-intervention, resolution-time, monitoring-failure, budget-consumed, severity.",
    }),
    userVisibleImpactMinutes: Type.Number({
      minimum: 0,
      default: 5,
      description: "user-visible-impact: users saw downtime or degradation for more than this many minutes.",
    }),
    resolutionTimeMinutes: Type.Number({
      minimum: 0,
      default: 60,
      description:
        "resolution-time: impact start (or declaration) to resolution took more than this many minutes.",
    }),
    budgetConsumedPercent: Type.Number({
      minimum: 0,
      maximum: 100,
      default: 20,
      description:
        "budget-consumed: the incident spent more than this percentage of an affected SLO's error budget.",
    }),
    postmortemSeverities: Type.String({
      pattern: listPattern(severityList),
      default: "SEV1,SEV2",
      description: "severity: comma-separated severities that always require a postmortem.",
    }),
    postmortemDueDays: Type.Number({
      minimum: 0,
      default: 5,
      description:
        "A required postmortem is due this many days after resolution; later it is listed as overdue.",
    }),
    detectorEnabled: Type.Boolean({
      default: true,
      description: 'Run the "found without paging" detector on the leader.',
    }),
    detectorThresholdPercent: Type.Number({
      exclusiveMinimum: 0,
      maximum: 100,
      default: 5,
      description:
        "Declare an incident when an SLO spent more than this percentage of its budget in the window without a page.",
    }),
    detectorWindowHours: Type.Number({
      exclusiveMinimum: 0,
      maximum: 720,
      default: 24,
      description: "The detector's look-back window in hours.",
    }),
    detectorIntervalSeconds: Type.Integer({
      minimum: 10,
      maximum: 86_400,
      default: 300,
      description: "How often the leader runs the detector and raises overdue postmortems as tickets.",
    }),
  },
  { additionalProperties: false },
);

export type IncidentsConfig = Static<typeof IncidentsConfigSchema>;

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The postmortem requirement policy the configuration describes. */
export function policyFromConfig(config: IncidentsConfig): PostmortemPolicy {
  const on = new Set(list(config.postmortemRules));
  return postmortemPolicy({
    userVisibleImpactMs: on.has("user-visible-impact")
      ? Math.round(config.userVisibleImpactMinutes * 60_000)
      : null,
    dataLoss: on.has("data-loss"),
    onCallIntervention: on.has("on-call-intervention"),
    resolutionTimeMs: on.has("resolution-time") ? Math.round(config.resolutionTimeMinutes * 60_000) : null,
    monitoringFailure: on.has("monitoring-failure"),
    budgetConsumedFraction: on.has("budget-consumed") ? config.budgetConsumedPercent / 100 : null,
    severities: on.has("severity") ? (list(config.postmortemSeverities) as SeverityLevel[]) : [],
    dueAfterMs: Math.round(config.postmortemDueDays * 86_400_000),
  });
}
