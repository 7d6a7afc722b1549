import type { Slo } from "../../slo/model.js";
import { RulesUnsupportedError } from "../errors.js";
import { LABEL_NAME, labelSelector } from "../promql-text.js";

/** The labels of every series and alert nines writes for an SLO: its labels plus nines_slo/nines_service. */
export function sloRuleLabels(slo: Slo): Readonly<Record<string, string>> {
  checkLabelNames(slo, slo.labels);
  return { ...slo.labels, nines_slo: slo.id, nines_service: slo.service };
}

/** Throws NINES_ERR_PROMRULES_UNSUPPORTED for a label name Prometheus cannot store. */
export function checkLabelNames(slo: Slo, labels: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new RulesUnsupportedError(
        `SLO ${slo.id}: label name ${JSON.stringify(name)} is not a valid Prometheus label`,
      );
    }
  }
}

/** `{nines_slo="<id>"}`: selects one SLO's recorded series. */
export function sloSelector(slo: Slo): string {
  return labelSelector({ nines_slo: slo.id });
}
