import { type Static, Type } from "typebox";

const LabelSet = Type.Record(Type.String(), Type.String());

/** One alert inside an Alertmanager webhook notification. */
export const WebhookAlertSchema = Type.Object({
  status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")]),
  labels: LabelSet,
  annotations: LabelSet,
  startsAt: Type.String(),
  /** `0001-01-01T00:00:00Z` while the alert has no known end. */
  endsAt: Type.String(),
  generatorURL: Type.String(),
  fingerprint: Type.String(),
});
export type WebhookAlert = Static<typeof WebhookAlertSchema>;

/**
 * The body Alertmanager POSTs to a `webhook_configs` receiver, version 4
 * (prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 */
export const WebhookPayloadSchema = Type.Object({
  version: Type.Literal("4"),
  groupKey: Type.String(),
  truncatedAlerts: Type.Integer({ minimum: 0 }),
  status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")]),
  receiver: Type.String(),
  groupLabels: LabelSet,
  commonLabels: LabelSet,
  commonAnnotations: LabelSet,
  externalURL: Type.String(),
  alerts: Type.Array(WebhookAlertSchema),
});
export type WebhookPayload = Static<typeof WebhookPayloadSchema>;
