import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../../server/common.schemas.js";
import { type ExternalAlertEvent, webhookToEvents } from "./external-alert-event.js";
import type { ExternalAlertsStore } from "./external-alerts.store.js";
import { WebhookPayloadSchema } from "./webhook-payload.js";

export interface AlertmanagerRoutesOptions {
  readonly store: ExternalAlertsStore;
  /** The signal pipeline: each received alert also becomes a signal (firing, or resolved). */
  readonly signals?: {
    ingestAlertmanagerEvents(events: readonly ExternalAlertEvent[]): Promise<unknown>;
  };
}

const ExternalAlertSchema = Type.Object({
  id: Type.Number(),
  fingerprint: Type.String(),
  state: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  startsAt: Type.String(),
  endsAt: Type.Optional(Type.String()),
  receiver: Type.String(),
  groupKey: Type.String(),
  receivedAt: Type.Number(),
});

/**
 * Alertmanager's webhook receiver: point a `webhook_configs` entry at
 * `/api/v1/integrations/alertmanager` with a write token as bearer credentials (or `?token=`).
 */
export const alertmanagerRoutes: FastifyPluginAsyncTypebox<AlertmanagerRoutesOptions> = async (
  app,
  { store, signals },
) => {
  app.post(
    "/api/v1/integrations/alertmanager",
    {
      config: { access: "write", queryToken: true },
      schema: {
        tags: ["integrations"],
        summary:
          "Receive Alertmanager webhook notifications (payload version 4); each alert is recorded as firing or resolved and sent through the signal pipeline.",
        querystring: Type.Object({ token: Type.Optional(Type.String()) }, { additionalProperties: false }),
        body: WebhookPayloadSchema,
        response: { 200: Type.Object({ received: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const events = webhookToEvents(request.body);
      await store.record(events);
      await signals?.ingestAlertmanagerEvents(events);
      return { received: events.length };
    },
  );

  app.get(
    "/api/v1/integrations/alertmanager/alerts",
    {
      schema: {
        tags: ["integrations"],
        summary: "The latest state of each alert received from Alertmanager.",
        querystring: Type.Object(
          { state: Type.Optional(Type.Union([Type.Literal("firing"), Type.Literal("resolved")])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ExternalAlertSchema), ...errorResponses },
      },
    },
    async (request) => store.current(request.query.state ? { state: request.query.state } : {}),
  );
};
