import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { NotificationNotFoundError, ReceiverNotFoundError } from "./errors.js";
import {
  NotificationDetailSchema,
  NotificationParams,
  NotificationSchema,
  NotificationsQuery,
  ReceiverCreateBody,
  ReceiverParams,
  ReceiverSchema,
  ReceiverUpdateBody,
  TestNotificationBody,
  TestNotificationResponse,
} from "./notifications.schemas.js";
import type { NotificationsDomain } from "./notifications-domain.js";
import type { StoredNotification } from "./outbox.store.js";
import { maskConfig, type Receiver, unmaskConfig, validateReceiverConfig } from "./receivers.js";

export interface NotificationsRoutesOptions {
  readonly notifications: NotificationsDomain;
}

/** Receivers are shown with their secrets masked, always. */
function view(receiver: Receiver) {
  return {
    name: receiver.name,
    type: receiver.type,
    ...(receiver.description !== undefined ? { description: receiver.description } : {}),
    config: maskConfig(receiver),
    createdAt: receiver.createdAt,
    updatedAt: receiver.updatedAt,
    updatedBy: receiver.updatedBy,
  };
}

/** The API form of a notification (mutable copies of the readonly message parts). */
function notificationView(n: StoredNotification) {
  return { ...n, message: { ...n.message, links: [...n.message.links] }, progress: [...n.progress] };
}

export const notificationsRoutes: FastifyPluginAsyncTypebox<NotificationsRoutesOptions> = async (
  app,
  { notifications },
) => {
  const { receivers, outbox, guard } = notifications;
  const tags = ["notifications"];
  const actor = (request: { principal?: { name: string } | undefined }) =>
    request.principal?.name ?? "anonymous";
  const requireReceiver = async (name: string) => {
    const receiver = await receivers.get(name);
    if (!receiver) throw new ReceiverNotFoundError(`no receiver named "${name}"`, { name });
    return receiver;
  };

  app.get(
    "/api/v1/receivers",
    {
      schema: {
        tags,
        summary: "Every receiver, secrets masked.",
        response: { 200: Type.Array(ReceiverSchema), ...errorResponses },
      },
    },
    async () => (await receivers.list()).map(view),
  );

  app.get(
    "/api/v1/receivers/:name",
    {
      schema: {
        tags,
        summary: "One receiver, secrets masked.",
        params: ReceiverParams,
        response: { 200: ReceiverSchema, ...errorResponses },
      },
    },
    async (request) => view(await requireReceiver(request.params.name)),
  );

  app.post(
    "/api/v1/receivers",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary:
          "Create a receiver (webhook, slack, pagerduty, alertmanager, email); its configuration is validated by field.",
        body: ReceiverCreateBody,
        response: { 201: ReceiverSchema, 409: errorResponses[404], ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, type, description, config } = request.body;
      const valid = validateReceiverConfig(type, config, guard);
      const created = await receivers.create({ name, type, description, config: valid }, actor(request));
      return reply.status(201).send(view(created));
    },
  );

  app.put(
    "/api/v1/receivers/:name",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary:
          'Replace a receiver\'s configuration; a masked secret sent back unchanged ("********") keeps the stored one.',
        params: ReceiverParams,
        body: ReceiverUpdateBody,
        response: { 200: ReceiverSchema, ...errorResponses },
      },
    },
    async (request) => {
      const stored = await requireReceiver(request.params.name);
      const { type, description, config } = request.body;
      const valid = validateReceiverConfig(type, unmaskConfig(type, config, stored), guard);
      return view(
        await receivers.update(
          { name: request.params.name, type, description, config: valid },
          actor(request),
        ),
      );
    },
  );

  app.delete(
    "/api/v1/receivers/:name",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: 'Delete a receiver; notifications still queued for it fail with "no receiver".',
        params: ReceiverParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await receivers.remove(request.params.name, actor(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/v1/notifications",
    {
      schema: {
        tags,
        summary:
          "Notifications, newest first: who was notified, through which receiver, and the delivery state.",
        querystring: NotificationsQuery,
        response: { 200: Type.Array(NotificationSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { subject, status, receiver, before, limit } = request.query;
      const found = await outbox.list({
        ...(subject ? { subject } : {}),
        ...(status ? { status } : {}),
        ...(receiver ? { target: receiver } : {}),
        ...(before !== undefined ? { before } : {}),
        limit: limit ?? 100,
      });
      return found.map(notificationView);
    },
  );

  app.get(
    "/api/v1/notifications/:id",
    {
      schema: {
        tags,
        summary: "One notification with every delivery attempt and the receiver's answer.",
        params: NotificationParams,
        response: { 200: NotificationDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const found = await outbox.get(request.params.id);
      if (!found)
        throw new NotificationNotFoundError(`no notification ${request.params.id}`, {
          id: request.params.id,
        });
      return { ...notificationView(found), attemptLog: found.attemptLog };
    },
  );

  app.post(
    "/api/v1/notifications/test",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary:
          "Queue test notifications to a receiver (one by default) through the outbox, to check it works.",
        body: TestNotificationBody,
        response: { 202: TestNotificationResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { receiver, count, event } = request.body;
      await requireReceiver(receiver);
      const n = count ?? 1;
      const subject = await notifications.enqueueTest(receiver, n, event ?? "trigger");
      return reply.status(202).send({ count: n, subject });
    },
  );
};
