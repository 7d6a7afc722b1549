/** Tells the format of one YAML document and checks it against that format's schema. */

import { suggestion } from "./did-you-mean.js";
import type { AlertPolicyDocument, SloDocument, SloFlatDocument } from "./native-schema.js";
import { AlertPolicyDocumentSchema, SloDocumentSchema, SloFlatDocumentSchema } from "./native-schema.js";
import type { OpenSloDataSource, OpenSloSli, OpenSloSlo } from "./openslo-schema.js";
import {
  OpenSloDataSourceSchema,
  OpenSloServiceSchema,
  OpenSloSliSchema,
  OpenSloSloSchema,
} from "./openslo-schema.js";
import { asSchemaNode, checkSchema } from "./schema-check.js";
import { checkSlothSchema } from "./sloth.js";
import type { Reporter } from "./spec-document.js";

/** A document whose format is known and whose shape matches it, or "skip" (empty or reported). */
export type Classified =
  | { readonly kind: "native-slo"; readonly value: SloDocument | SloFlatDocument }
  | { readonly kind: "native-policy"; readonly value: AlertPolicyDocument }
  | { readonly kind: "openslo-slo"; readonly value: OpenSloSlo }
  | { readonly kind: "openslo-sli"; readonly value: OpenSloSli }
  | { readonly kind: "openslo-datasource"; readonly value: OpenSloDataSource }
  | { readonly kind: "sloth"; readonly value: unknown; readonly k8s: boolean }
  | { readonly kind: "skip" };

const KNOWN_API_VERSIONS = ["nines/v1", "openslo/v1", "sloth.slok.dev/v1"];

function schemaOk(value: unknown, schema: object, r: Reporter): boolean {
  const problems = checkSchema(value, asSchemaNode(schema));
  for (const p of problems) r.error(p.path, p.message, p.hint, p.atKey);
  return problems.length === 0;
}

/** Detects the format by apiVersion (or Sloth's version) and schema-checks the document. */
export function classify(value: unknown, r: Reporter): Classified {
  if (value === null || value === undefined) return { kind: "skip" };
  if (typeof value !== "object" || Array.isArray(value)) {
    r.error(
      [],
      "a spec document must be a map with apiVersion and kind",
      "start the document with apiVersion: nines/v1 and kind: SLO",
    );
    return { kind: "skip" };
  }
  const doc = value as Record<string, unknown>;
  const apiVersion = doc.apiVersion;
  const kind = doc.kind;
  if (apiVersion === undefined && doc.version !== undefined) {
    if (doc.version === "prometheus/v1") return checkSloth(value, false, r);
    r.error(
      ["version"],
      `unknown version ${JSON.stringify(doc.version)}`,
      'Sloth specs use version: "prometheus/v1"',
    );
    return { kind: "skip" };
  }
  if (typeof apiVersion !== "string") {
    r.error(
      ["apiVersion"],
      "apiVersion is missing",
      "nines/v1 for native specs, openslo/v1 for OpenSLO, or version: prometheus/v1 for Sloth",
    );
    return { kind: "skip" };
  }
  if (apiVersion === "nines/v1") {
    if (kind === "SLO") {
      const flat = !("spec" in doc) && !("metadata" in doc);
      const schema = flat ? SloFlatDocumentSchema : SloDocumentSchema;
      return schemaOk(value, schema, r)
        ? { kind: "native-slo", value: value as SloDocument }
        : { kind: "skip" };
    }
    if (kind === "AlertPolicy")
      return schemaOk(value, AlertPolicyDocumentSchema, r)
        ? { kind: "native-policy", value: value as AlertPolicyDocument }
        : { kind: "skip" };
    return unknownKind(kind, ["SLO", "AlertPolicy"], r);
  }
  if (apiVersion === "openslo/v1") {
    switch (kind) {
      case "SLO":
        return schemaOk(value, OpenSloSloSchema, r)
          ? { kind: "openslo-slo", value: value as OpenSloSlo }
          : { kind: "skip" };
      case "SLI":
        return schemaOk(value, OpenSloSliSchema, r)
          ? { kind: "openslo-sli", value: value as OpenSloSli }
          : { kind: "skip" };
      case "DataSource":
        return schemaOk(value, OpenSloDataSourceSchema, r)
          ? { kind: "openslo-datasource", value: value as OpenSloDataSource }
          : { kind: "skip" };
      case "Service":
        schemaOk(value, OpenSloServiceSchema, r);
        return { kind: "skip" };
      case "AlertPolicy":
      case "AlertCondition":
      case "AlertNotificationTarget":
        r.error(
          ["kind"],
          `OpenSLO ${kind} documents are not imported`,
          "remove them: nines alerts with the Workbook's multi-window burn-rate lines (see alerting in docs/slo-spec.md)",
        );
        return { kind: "skip" };
      default:
        return unknownKind(kind, ["SLO", "SLI", "DataSource", "Service"], r);
    }
  }
  if (apiVersion === "sloth.slok.dev/v1") {
    if (kind === "PrometheusServiceLevel") return checkSloth(value, true, r);
    return unknownKind(kind, ["PrometheusServiceLevel"], r);
  }
  if (apiVersion.startsWith("openslo/"))
    r.error(
      ["apiVersion"],
      `${apiVersion} is not supported`,
      "nines reads openslo/v1; convert older documents with the OpenSLO tooling (oslo convert)",
    );
  else
    r.error(["apiVersion"], `unknown apiVersion "${apiVersion}"`, suggestion(apiVersion, KNOWN_API_VERSIONS));
  return { kind: "skip" };
}

function checkSloth(value: unknown, k8s: boolean, r: Reporter): Classified {
  const problems = checkSlothSchema(value, k8s ? "k8s" : "file");
  for (const p of problems) r.error(p.path, p.message, p.hint, p.atKey);
  return problems.length === 0 ? { kind: "sloth", value, k8s } : { kind: "skip" };
}

function unknownKind(kind: unknown, kinds: readonly string[], r: Reporter): Classified {
  r.error(
    ["kind"],
    `unknown kind ${JSON.stringify(kind)}`,
    typeof kind === "string" ? suggestion(kind, kinds) : `expected one of: ${kinds.join(", ")}`,
  );
  return { kind: "skip" };
}
