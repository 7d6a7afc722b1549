import { stringify } from "yaml";
import type { RuleGroup } from "./rule-types.js";

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** A plain Prometheus rule file (`groups:`), as `promtool check rules` and `rule_files:` read it. */
export function toRuleFileYaml(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, YAML_OPTIONS);
}

export interface PrometheusRuleMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The same groups as a prometheus-operator `PrometheusRule` resource (monitoring.coreos.com/v1). */
export function toPrometheusRuleYaml(groups: readonly RuleGroup[], meta: PrometheusRuleMeta): string {
  const metadata: Record<string, unknown> = { name: meta.name };
  if (meta.namespace !== undefined) metadata["namespace"] = meta.namespace;
  if (meta.labels !== undefined) metadata["labels"] = meta.labels;
  return stringify(
    { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata, spec: { groups } },
    YAML_OPTIONS,
  );
}
