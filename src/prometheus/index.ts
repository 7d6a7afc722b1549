export { type ExternalAlertEvent, webhookToEvents } from "./alertmanager/external-alert-event.js";
export { parseWebhookPayload } from "./alertmanager/parse-webhook.js";
export {
  type PostableAlert,
  PostableAlertSchema,
  type PostableAlerts,
  PostableAlertsSchema,
} from "./alertmanager/postable-alert.js";
export {
  type SloAlertEvent,
  sloAlertToPostable,
  type ToPostableOptions,
} from "./alertmanager/slo-alert-to-postable.js";
export {
  type WebhookAlert,
  WebhookAlertSchema,
  type WebhookPayload,
  WebhookPayloadSchema,
} from "./alertmanager/webhook-payload.js";
export type { GrafanaDashboard, GrafanaPanel } from "./dashboards/grafana-types.js";
export {
  dashboardUid,
  GRAFANA_SCHEMA_VERSION,
  grafanaDashboardUrl,
  type ServiceDashboard,
  serviceDashboards,
} from "./dashboards/service-dashboards.js";
export * from "./errors.js";
export { formatPromDuration, parsePromDuration } from "./prom-duration.js";
export { decodeRemoteWrite, decodeWriteRequestProto } from "./remote-write/decode-write-request.js";
export { encodeRemoteWrite, encodeWriteRequestProto } from "./remote-write/encode-write-request.js";
export { type IngestPlan, RemoteWriteIngest } from "./remote-write/remote-write-ingest.js";
export { type RemoteWriteTarget, remoteWriteTarget } from "./remote-write/remote-write-targets.js";
export {
  type LabelMatcher,
  type MatchOp,
  matchesSelector,
  parseSeriesSelector,
  type SeriesSelector,
} from "./remote-write/series-selector.js";
export { DEFAULT_MAX_DECODED_BYTES, snappyDecode } from "./remote-write/snappy-decode.js";
export { snappyEncode } from "./remote-write/snappy-encode.js";
export type { RemoteWriteSample, RemoteWriteSeries, WriteRequest } from "./remote-write/write-request.js";
export { alertName } from "./rules/alert-name.js";
export type { CompileRulesOptions } from "./rules/compile-options.js";
export { type CompiledRules, compileRules, ruleGroupName, type SkippedSlo } from "./rules/compile-rules.js";
export { firingBoundMs, outageSecondsToDetect } from "./rules/detection-time.js";
export { type PromtoolTestBundle, type PromtoolTestOptions, promtoolTests } from "./rules/promtool-tests.js";
export { NINES_LABELS, ruleNames } from "./rules/rule-names.js";
export type { AlertingRule, RecordingRule, Rule, RuleGroup } from "./rules/rule-types.js";
export { type PrometheusRuleMeta, toPrometheusRuleYaml, toRuleFileYaml } from "./rules/rule-writer.js";
export { histogramQueries, renderWindowQueries } from "./rules/sli-queries.js";
