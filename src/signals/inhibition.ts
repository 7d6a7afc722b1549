import { matchesAll } from "./matcher.js";
import type { InhibitRule } from "./routing-config.js";
import type { Labels } from "./signal.js";

/** A firing alert as inhibition sees it. */
export interface FiringAlert {
  readonly fingerprint: string;
  readonly labels: Labels;
}

/**
 * The first rule under which some other firing alert inhibits `target`: the source matches the
 * rule's source matchers, the target its target matchers, and both agree on every `equal` label
 * (an absent label counts as ""). With the default rule, a firing page for a service holds that
 * service's tickets.
 */
export function inhibitedBy(
  rules: readonly InhibitRule[],
  firing: readonly FiringAlert[],
  target: FiringAlert,
): { rule: InhibitRule; source: FiringAlert } | undefined {
  for (const rule of rules) {
    if (!matchesAll(rule.targetMatchers, target.labels)) continue;
    for (const source of firing) {
      if (source.fingerprint === target.fingerprint) continue;
      if (!matchesAll(rule.sourceMatchers, source.labels)) continue;
      if (rule.equal.every((name) => (source.labels[name] ?? "") === (target.labels[name] ?? ""))) {
        return { rule, source };
      }
    }
  }
  return undefined;
}

/**
 * {@link inhibitedBy} for many targets against the same firing alerts: sources are indexed once by
 * rule and `equal` values, so each lookup costs one pass over the rules instead of over every alert.
 */
export function inhibitionIndex(
  rules: readonly InhibitRule[],
  firing: readonly FiringAlert[],
): (target: FiringAlert) => { rule: InhibitRule; source: FiringAlert } | undefined {
  const keyOf = (rule: InhibitRule, labels: Labels): string =>
    rule.equal.map((name) => labels[name] ?? "").join("\u0000");
  // For each rule: equal-label key → up to two sources of distinct fingerprints (enough to skip the target itself).
  const index = rules.map((rule) => {
    const byKey = new Map<string, FiringAlert[]>();
    for (const source of firing) {
      if (!matchesAll(rule.sourceMatchers, source.labels)) continue;
      const key = keyOf(rule, source.labels);
      const list = byKey.get(key) ?? [];
      if (list.length < 2 && !list.some((s) => s.fingerprint === source.fingerprint)) list.push(source);
      byKey.set(key, list);
    }
    return byKey;
  });
  return (target) => {
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as InhibitRule;
      if (!matchesAll(rule.targetMatchers, target.labels)) continue;
      const source = index[i]
        ?.get(keyOf(rule, target.labels))
        ?.find((s) => s.fingerprint !== target.fingerprint);
      if (source !== undefined) return { rule, source };
    }
    return undefined;
  };
}
