import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { UnauthenticatedError } from "../auth/errors.js";
import { errorResponses } from "../server/common.schemas.js";
import { actorOf } from "./incident.routes.js";
import {
  ActionItemListQuery,
  ActionItemParams,
  ActionItemSchema,
  ActionItemStatsSchema,
  CommentBody,
  MarkdownBody,
  MarkdownImportResponse,
  NewActionItemBody,
  OverduePostmortemSchema,
  PatchActionItemBody,
  PostmortemListQuery,
  PostmortemParams,
  PostmortemSchema,
  PostmortemSummarySchema,
  PutPostmortemBody,
  ReviewBody,
  SearchHitSchema,
  SearchQuery,
  SubmitBody,
} from "./incident-api.schemas.js";
import { postmortemSummary, postmortemView } from "./incident-views.js";
import type { PostmortemService } from "./postmortem-service.js";

export interface PostmortemRoutesOptions {
  readonly postmortems: PostmortemService;
}

const tags = ["postmortems"];

/** `/api/v1/postmortems` (draft → review → published, Markdown, search, overdue) and `/api/v1/action-items`. */
export const postmortemRoutes: FastifyPluginAsyncTypebox<PostmortemRoutesOptions> = async (
  app,
  { postmortems },
) => {
  app.get(
    "/api/v1/postmortems",
    {
      schema: {
        tags,
        summary: "Postmortems, newest first; filter by status.",
        querystring: PostmortemListQuery,
        response: { 200: Type.Array(PostmortemSummarySchema), ...errorResponses },
      },
    },
    async (request) => (await postmortems.list(request.query)).map(postmortemSummary),
  );

  app.get(
    "/api/v1/postmortems/search",
    {
      schema: {
        tags,
        summary: "Search published postmortems by text (`q`), service and cause tag.",
        querystring: SearchQuery,
        response: { 200: Type.Array(SearchHitSchema), ...errorResponses },
      },
    },
    async (request) =>
      (await postmortems.search(request.query)).map(({ hit, stored }) => ({
        postmortemId: hit.postmortemId,
        incidentId: stored.postmortem.incidentId,
        title: hit.title,
        score: hit.score,
        services: [...stored.postmortem.services],
        causeTags: [...stored.postmortem.causeTags],
        ...(stored.postmortem.publishedAt !== undefined
          ? { publishedAt: stored.postmortem.publishedAt }
          : {}),
        summary: stored.postmortem.summary,
      })),
  );

  app.get(
    "/api/v1/postmortems/overdue",
    {
      schema: {
        tags,
        summary: "Required postmortems not published by their due date, most overdue first.",
        response: { 200: Type.Array(OverduePostmortemSchema), ...errorResponses },
      },
    },
    async () =>
      (await postmortems.overdue()).map((o) => ({
        incidentId: o.incidentId,
        title: o.title,
        dueAt: o.dueAt,
        overdueMs: o.overdueMs,
        triggers: o.triggers.map((t) => ({ ...t })),
        postmortem: o.postmortem ?? null,
      })),
  );

  app.get(
    "/api/v1/postmortems/:id",
    {
      schema: {
        tags,
        summary: "One postmortem.",
        params: PostmortemParams,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
    },
    async (request) => postmortemView(await postmortems.require(request.params.id)),
  );

  app.put(
    "/api/v1/postmortems/:id",
    {
      schema: {
        tags,
        summary:
          "Edit a draft (authors only). Omitted sections stay as they are; action items are replaced (new ids are assigned).",
        params: PostmortemParams,
        body: PutPostmortemBody,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) =>
      postmortemView(await postmortems.edit(request.params.id, request.body, actorOf(request))),
  );

  app.get(
    "/api/v1/postmortems/:id/markdown",
    {
      schema: {
        tags,
        summary: "Export as Markdown (front matter + the template's sections).",
        params: PostmortemParams,
        produces: ["text/markdown"],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { stored, markdown } = await postmortems.markdown(request.params.id);
      return reply
        .type("text/markdown; charset=utf-8")
        .header("content-disposition", `inline; filename="${stored.postmortem.id}.md"`)
        .send(markdown);
    },
  );

  app.put(
    "/api/v1/postmortems/:id/markdown",
    {
      schema: {
        tags,
        summary:
          "Import an edited Markdown export into the draft (authors only); reports unknown and missing sections.",
        params: PostmortemParams,
        body: MarkdownBody,
        response: { 200: MarkdownImportResponse, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) => {
      const result = await postmortems.importMarkdown(
        request.params.id,
        request.body.markdown,
        actorOf(request),
      );
      return {
        postmortem: postmortemView(result.stored),
        unknownSections: [...result.unknownSections],
        missingSections: [...result.missingSections],
        warnings: [...result.warnings],
      };
    },
  );

  app.post(
    "/api/v1/postmortems/:id/submit",
    {
      schema: {
        tags,
        summary:
          "Submit a draft for review by the named reviewers; blamelessness findings become review comments.",
        params: PostmortemParams,
        body: SubmitBody,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) =>
      postmortemView(await postmortems.submit(request.params.id, request.body.reviewers, actorOf(request))),
  );

  app.post(
    "/api/v1/postmortems/:id/reviews",
    {
      schema: {
        tags,
        summary:
          "A named reviewer approves or requests changes (with their own token or session; read scope is enough).",
        params: PostmortemParams,
        body: ReviewBody,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
      config: { access: "read" },
    },
    async (request) => {
      if (!request.principal) throw new UnauthenticatedError("reviewing needs your own token or session");
      return postmortemView(
        await postmortems.review(
          request.params.id,
          request.body.decision,
          request.body.comment,
          request.principal.name,
        ),
      );
    },
  );

  app.post(
    "/api/v1/postmortems/:id/comments",
    {
      schema: {
        tags,
        summary: "Comment on a draft or a postmortem in review (authors and named reviewers).",
        params: PostmortemParams,
        body: CommentBody,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
      config: { access: "read" },
    },
    async (request) => {
      if (!request.principal) throw new UnauthenticatedError("commenting needs your own token or session");
      return postmortemView(
        await postmortems.comment(
          request.params.id,
          request.body.text,
          request.body.section,
          request.principal.name,
        ),
      );
    },
  );

  app.post(
    "/api/v1/postmortems/:id/publish",
    {
      schema: {
        tags,
        summary: "Publish (an author, once every named reviewer approved).",
        params: PostmortemParams,
        response: { 200: PostmortemSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) => postmortemView(await postmortems.publish(request.params.id, actorOf(request))),
  );

  const itemTags = ["action-items"];

  app.post(
    "/api/v1/action-items",
    {
      schema: {
        tags: itemTags,
        summary:
          "Add an action item to a postmortem (nines assigns the id; the service defaults to the postmortem's first).",
        body: NewActionItemBody,
        response: { 201: ActionItemSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request, reply) => reply.status(201).send(await postmortems.actionItems.create(request.body)),
  );

  app.get(
    "/api/v1/action-items",
    {
      schema: {
        tags: itemTags,
        summary: "Action items by due date; filter by status, service, team, owner, postmortem.",
        querystring: ActionItemListQuery,
        response: { 200: Type.Array(ActionItemSchema), ...errorResponses },
      },
    },
    async (request) => postmortems.actionItems.list(request.query),
  );

  app.get(
    "/api/v1/action-items/overdue",
    {
      schema: {
        tags: itemTags,
        summary: "Open or in-progress items past their due date, by priority then due date.",
        response: { 200: Type.Array(ActionItemSchema), ...errorResponses },
      },
    },
    async () => postmortems.actionItems.overdue(),
  );

  app.get(
    "/api/v1/action-items/stats",
    {
      schema: {
        tags: itemTags,
        summary: "Completion rate per service and per team: done / (total − won't do).",
        response: { 200: ActionItemStatsSchema, ...errorResponses },
      },
    },
    async () => postmortems.actionItems.stats(),
  );

  app.get(
    "/api/v1/action-items/:id",
    {
      schema: {
        tags: itemTags,
        summary: "One action item.",
        params: ActionItemParams,
        response: { 200: ActionItemSchema, ...errorResponses },
      },
    },
    async (request) => postmortems.actionItems.get(request.params.id),
  );

  app.patch(
    "/api/v1/action-items/:id",
    {
      schema: {
        tags: itemTags,
        summary: "Change an action item (status moves are validated; `issueUrl: null` removes the link).",
        params: ActionItemParams,
        body: PatchActionItemBody,
        response: { 200: ActionItemSchema, ...errorResponses },
      },
      config: { access: "write" },
    },
    async (request) => postmortems.actionItems.update(request.params.id, request.body),
  );
};
