import { matchesAll } from "./matcher.js";
import type { Route, RoutingConfig } from "./routing-config.js";
import { type Labels, OUTCOMES, type Outcome, type Signal, signalLabels } from "./signal.js";

/** The rule that decided a classification: its field path in the config and its name. */
export interface DecidingRule {
  readonly path: string;
  readonly name: string;
}

export interface Classification {
  readonly outcome: Outcome;
  readonly rule: DecidingRule;
  /** The route that decided (with its receiver, team, escalation and grouping). */
  readonly route: Route;
  /** Every route the labels reached, in tree order (more than one through `continue`). */
  readonly matches: readonly Route[];
}

/**
 * The routes a label set reaches, exactly as Alertmanager walks its tree: a route whose matchers
 * match tries its children in order, stops at the first matching child unless that child has
 * `continue: true`, and is itself the match when no child matched.
 */
export function matchRoutes(route: Route, labels: Labels): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const found = matchRoutes(child, labels);
    all.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [route];
}

/**
 * Classifies a label set as exactly one of page, ticket or log. When `continue` lets several
 * routes match, the most urgent outcome wins and the first route with it is the deciding rule;
 * the root always matches, so unmatched labels get the root's outcome (log by default).
 */
export function classifyLabels(config: RoutingConfig, labels: Labels): Classification {
  const matches = matchRoutes(config.route, labels);
  const rank = (r: Route): number => OUTCOMES.indexOf(r.classify);
  const route = matches.reduce((best, r) => (rank(r) < rank(best) ? r : best), matches[0] ?? config.route);
  return { outcome: route.classify, rule: { path: route.path, name: route.name }, route, matches };
}

/** Classifies a signal by its labels (see {@link signalLabels}). */
export function classifySignal(config: RoutingConfig, signal: Signal): Classification {
  return classifyLabels(config, signalLabels(signal));
}
