export { type NamedAlertPolicy, readAlertPolicyDocument, resolveAlerting } from "./alerting.js";
export { fractionToPercent, MIN_USEFUL_OUTAGE_BUDGET_MS, percentToFraction } from "./checks.js";
export {
  type Diagnostic,
  formatDiagnostic,
  formatPath,
  hasErrors,
  type Path,
  sortDiagnostics,
} from "./diagnostic.js";
export { closest, suggestion } from "./did-you-mean.js";
export { FALLBACK_PROMETHEUS_URL, type ImportOptions } from "./import-options.js";
export { sloJsonSchema } from "./json-schema.js";
export {
  AlertPolicyDocumentSchema,
  SloDocumentSchema,
  SloFlatDocumentSchema,
} from "./native-schema.js";
export {
  type ParseOptions,
  type ParseResult,
  parseSpecFiles,
  type SpecFile,
  type SpecFormat,
} from "./parse-spec-files.js";
export { parseSpecFilesOrThrow } from "./parse-spec-files-or-throw.js";
export { toNativeDocument, toNativeYaml } from "./to-native-yaml.js";
