import { classifyLabels, type DecidingRule } from "./classify.js";
import type { RoutingConfig } from "./routing-config.js";
import type { Labels, Outcome } from "./signal.js";

export interface RouteMatchSummary {
  readonly path: string;
  readonly name: string;
  readonly outcome: Outcome;
  readonly receiver: string | null;
  readonly team: string | null;
  readonly escalation: string | null;
  readonly groupBy: readonly string[];
}

/** What `nines routes test` prints: the outcome, the deciding rule and where the signal goes. */
export interface RouteTestResult {
  readonly labels: Labels;
  readonly outcome: Outcome;
  readonly rule: DecidingRule;
  readonly receiver: string | null;
  readonly team: string | null;
  readonly escalation: string | null;
  readonly matches: readonly RouteMatchSummary[];
}

/**
 * Which rule classifies these labels as what, and which receiver, team and escalation policy
 * they reach. Labels are used as given (pass `source`, `service`, `severity` as labels).
 *
 * @example testRoute(config, parseLabelArgs(["source=slo", "severity=page"])).outcome // "page"
 */
export function testRoute(config: RoutingConfig, labels: Labels): RouteTestResult {
  const c = classifyLabels(config, labels);
  return {
    labels,
    outcome: c.outcome,
    rule: c.rule,
    receiver: c.route.receiver,
    team: c.route.team,
    escalation: c.route.escalation,
    matches: c.matches.map((r) => ({
      path: r.path,
      name: r.name,
      outcome: r.classify,
      receiver: r.receiver,
      team: r.team,
      escalation: r.escalation,
      groupBy: r.groupBy,
    })),
  };
}

/** Compares a route test with `--expect`; the message names the deciding rule either way. */
export function checkRouteExpectation(
  result: RouteTestResult,
  expected: Outcome,
): { pass: boolean; message: string } {
  const decided = `${result.outcome} by ${result.rule.name} (${result.rule.path})`;
  return result.outcome === expected
    ? { pass: true, message: `ok: ${decided}` }
    : { pass: false, message: `expected ${expected}, got ${decided}` };
}
