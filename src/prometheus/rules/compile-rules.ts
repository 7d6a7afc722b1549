import { isNinesError } from "../../errors/index.js";
import type { Slo } from "../../slo/model.js";
import { RulesUnsupportedError } from "../errors.js";
import { formatPromDuration } from "../prom-duration.js";
import { alertingRules } from "./alerting-rules.js";
import { type CompileRulesOptions, resolveCompileOptions } from "./compile-options.js";
import { recordingRules } from "./recording-rules.js";
import type { RuleGroup } from "./rule-types.js";

/** An SLO that {@link compileRules} left out, and why. */
export interface SkippedSlo {
  readonly sloId: string;
  readonly code: string;
  readonly reason: string;
}

export interface CompiledRules {
  readonly groups: readonly RuleGroup[];
  readonly skipped: readonly SkippedSlo[];
}

/** Rule group name of an SLO: `nines-slo-` + its id with every run of other characters as `-`. */
export function ruleGroupName(slo: Slo): string {
  return `nines-slo-${slo.id.replace(/[^a-zA-Z0-9_]+/g, "-")}`;
}

/**
 * Compiles SLOs into Prometheus recording and alerting rules: one group per SLO holding the
 * error ratio recordings, the SLO metadata series and one alert per enabled policy line.
 * SLOs without a Prometheus source are returned in `skipped` (code
 * NINES_ERR_PROMRULES_UNSUPPORTED) unless `strict`, which throws instead.
 *
 * @example
 * const { groups } = compileRules(slos);
 * writeFileSync("slos.rules.yaml", toRuleFileYaml(groups));
 */
export function compileRules(
  slos: readonly Slo[],
  opts: CompileRulesOptions & { readonly strict?: boolean } = {},
): CompiledRules {
  const resolved = resolveCompileOptions(opts);
  const groups: RuleGroup[] = [];
  const skipped: SkippedSlo[] = [];
  for (const slo of slos) {
    try {
      const base = ruleGroupName(slo);
      let name = base;
      // Ids that differ only in punctuation (`a/b-c`, `a-b/c`) would share a name; Prometheus needs unique groups.
      for (let n = 2; groups.some((g) => g.name === name); n++) name = `${base}-${n}`;
      groups.push({
        name,
        interval: formatPromDuration(resolved.evaluationIntervalMs),
        rules: [...recordingRules(slo, resolved), ...alertingRules(slo, resolved)],
      });
    } catch (error) {
      if (opts.strict || !isNinesError(error) || error.code !== RulesUnsupportedError.code) throw error;
      skipped.push({ sloId: slo.id, code: error.code, reason: error.message });
    }
  }
  return { groups, skipped };
}
