import { Value } from "typebox/value";
import { fieldErrors } from "../../schema/field-errors.js";
import { AlertmanagerPayloadInvalidError } from "../errors.js";
import { type WebhookPayload, WebhookPayloadSchema } from "./webhook-payload.js";

/**
 * Validates a parsed JSON body as an Alertmanager webhook payload version 4. Throws
 * NINES_ERR_ALERTMANAGER_PAYLOAD_INVALID with one `{ path, message }` per problem in `details`.
 */
export function parseWebhookPayload(body: unknown): WebhookPayload {
  if (Value.Check(WebhookPayloadSchema, body)) return body;
  throw new AlertmanagerPayloadInvalidError(
    "not an Alertmanager webhook payload (version 4)",
    fieldErrors(WebhookPayloadSchema, body),
  );
}
