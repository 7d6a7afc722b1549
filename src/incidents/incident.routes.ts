import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import type { ActionItem } from "./action-item.js";
import { openActionItems } from "./action-item.js";
import type { StoredIncident } from "./incident.store.js";
import {
  CreatePostmortemBody,
  DeclareIncidentBody,
  IncidentDetailSchema,
  IncidentListQuery,
  IncidentParams,
  IncidentSchema,
  InterventionBody,
  NoteBody,
  PatchIncidentBody,
  PostmortemSchema,
  ResolveBody,
} from "./incident-api.schemas.js";
import type { IncidentService } from "./incident-service.js";
import { incidentView, postmortemView } from "./incident-views.js";
import type { PostmortemStore } from "./postmortem.store.js";
import type { PostmortemService } from "./postmortem-service.js";

export interface IncidentRoutesOptions {
  readonly incidents: IncidentService;
  readonly postmortems: PostmortemService;
  readonly postmortemStore: PostmortemStore;
}

const tags = ["incidents"];

/** The principal's name: who declared, changed or wrote something. */
export function actorOf(request: FastifyRequest): string {
  return request.principal?.name ?? "anonymous";
}

/** `/api/v1/incidents`: declare, list, read with timeline, change, note, intervene, resolve, start the postmortem. */
export const incidentRoutes: FastifyPluginAsyncTypebox<IncidentRoutesOptions> = async (app, options) => {
  const { incidents, postmortems, postmortemStore } = options;

  const view = async (stored: StoredIncident, withOpenItems = false) => {
    const pm = (await postmortemStore.postmortemIdsByIncident([stored.number])).get(stored.number);
    let open: Map<string, readonly ActionItem[]> | undefined;
    if (withOpenItems && stored.relatedPostmortems.length > 0) {
      open = new Map();
      for (const link of stored.relatedPostmortems) {
        const items = await postmortems.actionItems.list({ postmortemId: link.postmortemId });
        open.set(link.postmortemId, openActionItems(items));
      }
    }
    return incidentView(stored, pm, open);
  };

  app.post(
    "/api/v1/incidents",
    {
      schema: {
        tags,
        summary:
          "Declare an incident (optionally from a page: `fromPageId`). Links earlier postmortems with the same service and cause.",
        body: DeclareIncidentBody,
        response: { 201: IncidentSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request, reply) => {
      const stored = await incidents.declare(request.body, actorOf(request));
      return reply.status(201).send(await view(stored!, true));
    },
  );

  app.get(
    "/api/v1/incidents",
    {
      schema: {
        tags,
        summary: "Incidents, newest first; filter by status (or `open`), service and severity.",
        querystring: IncidentListQuery,
        response: { 200: Type.Array(IncidentSchema), ...errorResponses },
      },
    },
    async (request) => {
      const list = await incidents.list(request.query);
      const pms = await postmortemStore.postmortemIdsByIncident(list.map((s) => s.number));
      return list.map((s) => incidentView(s, pms.get(s.number)));
    },
  );

  app.get(
    "/api/v1/incidents/:id",
    {
      schema: {
        tags,
        summary: "One incident with its timeline (own events, related signals, notes) in UTC ms order.",
        params: IncidentParams,
        response: { 200: IncidentDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const detail = await incidents.detail(request.params.id);
      return { incident: await view(detail.stored, true), timeline: detail.timeline.map((e) => ({ ...e })) };
    },
  );

  app.patch(
    "/api/v1/incidents/:id",
    {
      schema: {
        tags,
        summary:
          "Change status (validated transitions), roles, severity and facts; resolving evaluates the postmortem rules.",
        params: IncidentParams,
        body: PatchIncidentBody,
        response: { 200: IncidentSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) => view(await incidents.update(request.params.id, request.body, actorOf(request)), true),
  );

  app.post(
    "/api/v1/incidents/:id/timeline",
    {
      schema: {
        tags,
        summary: "Add a note to the incident timeline.",
        params: IncidentParams,
        body: NoteBody,
        response: {
          201: Type.Object({
            at: Type.Number(),
            kind: Type.String(),
            text: Type.String(),
            actor: Type.Optional(Type.String()),
          }),
          ...errorResponses,
        },
      },
      config: { access: "write" },
    },
    async (request, reply) => {
      const entry = await incidents.addNote(
        request.params.id,
        request.body.text,
        actorOf(request),
        request.body.at,
      );
      return reply.status(201).send(entry);
    },
  );

  app.post(
    "/api/v1/incidents/:id/interventions",
    {
      schema: {
        tags,
        summary: "Record an on-call intervention (rollback, traffic reroute, manual change).",
        params: IncidentParams,
        body: InterventionBody,
        response: { 200: IncidentSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) => view(await incidents.intervene(request.params.id, request.body, actorOf(request))),
  );

  app.post(
    "/api/v1/incidents/:id/resolve",
    {
      schema: {
        tags,
        summary:
          "Resolve the incident; the answer says whether a postmortem is required and which rules required it.",
        params: IncidentParams,
        body: Type.Optional(ResolveBody),
        response: { 200: IncidentSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) => view(await incidents.resolve(request.params.id, actorOf(request), request.body?.note)),
  );

  app.post(
    "/api/v1/incidents/:id/postmortem",
    {
      schema: {
        tags: ["postmortems"],
        summary:
          "Start the incident's postmortem from the blameless template, prefilled from the incident and SLO data.",
        params: IncidentParams,
        body: Type.Optional(CreatePostmortemBody),
        response: { 201: PostmortemSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request, reply) => {
      const stored = await postmortems.create(request.params.id, request.body ?? {}, actorOf(request));
      return reply.status(201).send(postmortemView(stored));
    },
  );

  app.get(
    "/api/v1/incidents/:id/postmortem",
    {
      schema: {
        tags: ["postmortems"],
        summary: "The incident's postmortem.",
        params: IncidentParams,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
    },
    async (request) => postmortemView(await postmortems.byIncident(request.params.id)),
  );
};
