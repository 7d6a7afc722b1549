import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import type { PageService } from "./page.service.js";
import type { PageAction } from "./page-links.js";
import {
  ActionabilityQuery,
  ActionabilityResponse,
  ActionableBody,
  PageLinkQuery,
  PageParams,
  PageSchema,
  PagesQuery,
} from "./signals.schemas.js";
import type { PageStatus, StoredPage } from "./signals.store.js";

export interface PagesRoutesOptions {
  readonly pages: PageService;
}

const tags = ["pages"];
const DAY_MS = 86_400_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkAnswer(page: StoredPage, action: PageAction): string {
  const done = action === "ack" ? "acknowledged" : "resolved";
  const title = escapeHtml(page.title);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page #${page.id} ${done}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>Page #${page.id} is ${escapeHtml(page.status)}</h1><p>${title} (${escapeHtml(page.service)})</p>
<p><a href="/pages">Open pages in nines</a></p></body></html>`;
}

/** Pages: list, acknowledge, resolve, review; and the signed one-click links sent in notifications. */
export const pagesRoutes: FastifyPluginAsyncTypebox<PagesRoutesOptions> = async (app, { pages }) => {
  const by = (request: { principal?: { name: string } | undefined }) =>
    request.principal?.name ?? "anonymous";

  app.get(
    "/api/v1/pages",
    {
      schema: {
        tags,
        summary: "Pages, newest first; `status=open` lists triggered and acknowledged ones.",
        querystring: PagesQuery,
        response: { 200: Type.Array(PageSchema), ...errorResponses },
      },
    },
    async (request) => {
      const raw = request.query.status;
      const asked = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      const status = asked.flatMap((s): PageStatus[] => (s === "open" ? ["triggered", "acknowledged"] : [s]));
      return pages.list({
        status,
        ...(request.query.service ? { service: request.query.service } : {}),
        limit: request.query.limit ?? 200,
      });
    },
  );

  app.get(
    "/api/v1/pages/actionability",
    {
      schema: {
        tags,
        summary:
          "Share of non-actionable pages per alert among reviewed pages of the last `days` (noisiest first).",
        querystring: ActionabilityQuery,
        response: { 200: ActionabilityResponse, ...errorResponses },
      },
    },
    async (request) => {
      const report = await pages.actionability(Date.now() - (request.query.days ?? 90) * DAY_MS);
      return { ...report, byAlert: report.byAlert.map((a) => ({ ...a, reasons: { ...a.reasons } })) };
    },
  );

  app.get(
    "/api/v1/pages/:id",
    {
      schema: {
        tags,
        summary: "One page.",
        params: PageParams,
        response: { 200: PageSchema, ...errorResponses },
      },
    },
    async (request) => pages.get(request.params.id),
  );

  app.post(
    "/api/v1/pages/:id/ack",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Acknowledge a page: its escalation stops; the receiver and people notified hear of it.",
        params: PageParams,
        response: { 200: PageSchema, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request) => pages.acknowledge(request.params.id, by(request)),
  );

  app.post(
    "/api/v1/pages/:id/resolve",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Resolve a page; the receiver and people notified hear of it.",
        params: PageParams,
        response: { 200: PageSchema, ...errorResponses },
      },
    },
    async (request) => pages.resolve(request.params.id, by(request)),
  );

  app.post(
    "/api/v1/pages/:id/actionable",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary: "Mark a resolved page actionable or not, and why (for the actionability report).",
        params: PageParams,
        body: ActionableBody,
        response: { 200: PageSchema, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request) =>
      pages.review(request.params.id, request.body.actionable, request.body.reason, by(request)),
  );

  for (const action of ["ack", "resolve"] as const) {
    app.get(
      `/api/v1/pages/:id/${action}`,
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: `One-click ${action === "ack" ? "acknowledge" : "resolve"} link from a notification (signed, expiring; 403 otherwise).`,
          params: PageParams,
          querystring: PageLinkQuery,
          response: { 200: Type.String({ description: "A short HTML confirmation." }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { expires, sig, by: person } = request.query;
        const page = await pages.followLink(
          { pageId: request.params.id, action, expires, ...(person === undefined ? {} : { by: person }) },
          sig,
        );
        return reply.type("text/html; charset=utf-8").send(linkAnswer(page, action));
      },
    );
  }
};
