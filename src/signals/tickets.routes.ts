import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { TicketNotFoundError } from "./tickets.errors.js";
import type { TicketPriority, TicketStatus } from "./tickets.js";
import {
  CommentBody,
  CreateTicketBody,
  PatchTicketBody,
  TicketCommentSchema,
  TicketDetailSchema,
  TicketListQuery,
  TicketParams,
  TicketSchema,
} from "./tickets.schemas.js";
import type { TicketStore } from "./tickets.store.js";

export interface TicketRoutesOptions {
  readonly store: TicketStore;
}

const tags = ["tickets"];

/** The ticket queue: list (per team, status, assignee, overdue), show, open by hand, change, comment. */
export const ticketRoutes: FastifyPluginAsyncTypebox<TicketRoutesOptions> = async (app, { store }) => {
  app.get(
    "/api/v1/tickets",
    {
      schema: {
        tags,
        summary:
          "Tickets, most pressing first (priority, then due date); filter by team, status, assignee, overdue.",
        querystring: TicketListQuery,
        response: { 200: Type.Array(TicketSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { team, service, assignee, status, overdue, limit } = request.query;
      return store.list({
        ...(team !== undefined ? { team } : {}),
        ...(service !== undefined ? { service } : {}),
        ...(assignee !== undefined ? { assignee } : {}),
        ...(status !== undefined ? { status: status as TicketStatus | "active" | "closed" } : {}),
        ...(overdue !== undefined ? { overdue } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
    },
  );

  app.get(
    "/api/v1/tickets/:id",
    {
      schema: {
        tags,
        summary: "One ticket with its comments, changes and the signals it was raised for.",
        params: TicketParams,
        response: { 200: TicketDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ticket = await store.get(request.params.id);
      if (!ticket) throw new TicketNotFoundError(`no ticket ${request.params.id}`, { id: request.params.id });
      return ticket;
    },
  );

  app.post(
    "/api/v1/tickets",
    {
      schema: {
        tags,
        summary: "Open a ticket by hand (due in signals.ticketDueDays unless dueAt is given).",
        body: CreateTicketBody,
        response: { 201: TicketDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const ticket = await store.create(
        {
          service: b.service,
          title: b.title,
          ...(b.team !== undefined ? { team: b.team } : {}),
          ...(b.description !== undefined ? { description: b.description } : {}),
          ...(b.priority !== undefined ? { priority: b.priority as TicketPriority } : {}),
          ...(b.dueAt !== undefined ? { dueAt: b.dueAt } : {}),
          ...(b.assignee !== undefined ? { assignee: b.assignee } : {}),
          ...(b.fingerprint !== undefined ? { fingerprint: b.fingerprint } : {}),
        },
        request.principal?.name ?? "anonymous",
      );
      return reply.status(201).send(ticket);
    },
  );

  app.patch(
    "/api/v1/tickets/:id",
    {
      schema: {
        tags,
        summary:
          "Change status, assignee (null unassigns), priority or due date; a closed ticket can only be reopened. Recorded in its activity.",
        params: TicketParams,
        body: PatchTicketBody,
        response: { 200: TicketDetailSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      return store.update(
        request.params.id,
        {
          ...(b.status !== undefined ? { status: b.status as TicketStatus } : {}),
          ...(b.assignee !== undefined ? { assignee: b.assignee } : {}),
          ...(b.priority !== undefined ? { priority: b.priority as TicketPriority } : {}),
          ...(b.dueAt !== undefined ? { dueAt: b.dueAt } : {}),
        },
        request.principal?.name ?? "anonymous",
      );
    },
  );

  app.post(
    "/api/v1/tickets/:id/comments",
    {
      schema: {
        tags,
        summary: "Comment on a ticket (the author is the caller's token or session).",
        params: TicketParams,
        body: CommentBody,
        response: { 201: TicketCommentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const comment = await store.comment(
        request.params.id,
        request.principal?.name ?? "anonymous",
        request.body.body,
      );
      return reply.status(201).send(comment);
    },
  );
};
