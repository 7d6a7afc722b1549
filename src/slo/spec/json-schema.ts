import { AlertPolicyDocumentSchema, SloDocumentSchema, SloFlatDocumentSchema } from "./native-schema.js";

/**
 * JSON Schema (draft 2020-12) of one native `nines/v1` document, generated from the TypeBox
 * schemas the validator uses. schemas/slo.schema.json is this value; a test keeps them equal.
 */
export function sloJsonSchema(): Record<string, unknown> {
  const schema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://nines.dev/schemas/slo.schema.json",
    title: "nines SLO spec (nines/v1)",
    description:
      "One YAML document: an SLO (metadata/spec or flat form) or a reusable AlertPolicy. See docs/slo-spec.md.",
    oneOf: [SloDocumentSchema, SloFlatDocumentSchema, AlertPolicyDocumentSchema],
  };
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
