import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { errorResponses } from "../server/common.schemas.js";
import { LogQueryInvalidError } from "./event-log.errors.js";
import { LogPageSchema, LogQuerySchema } from "./event-log.schemas.js";
import { decodeLogCursor, type EventLogStore, type LogCursor } from "./event-log.store.js";
import { type Matcher, parseMatcher } from "./matcher.js";

export interface EventLogRoutesOptions {
  readonly store: EventLogStore;
}

/** `GET /api/v1/logs`: search the event log by service, label matchers, words and time range. */
export const eventLogRoutes: FastifyPluginAsyncTypebox<EventLogRoutesOptions> = async (app, { store }) => {
  app.get(
    "/api/v1/logs",
    {
      schema: {
        tags: ["logs"],
        summary:
          "Search the event log, newest first: service, label matchers, words, time range; page with nextCursor.",
        querystring: LogQuerySchema,
        response: { 200: LogPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const problems: { path: string; message: string }[] = [];
      const matchers: Matcher[] = [];
      (q.match ?? []).forEach((text, i) => {
        try {
          matchers.push(parseMatcher(text));
        } catch (error) {
          problems.push({ path: `querystring.match[${i}]`, message: (error as Error).message });
        }
      });
      let cursor: LogCursor | undefined;
      if (q.cursor !== undefined) {
        cursor = decodeLogCursor(q.cursor);
        if (!cursor)
          problems.push({ path: "querystring.cursor", message: "is not a cursor this API returned" });
      }
      if (q.from !== undefined && q.to !== undefined && q.to <= q.from)
        problems.push({ path: "querystring.to", message: "must be after from" });
      if (problems.length > 0) {
        throw new LogQueryInvalidError(
          `invalid log search: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          problems,
        );
      }
      return store.search({
        matchers,
        ...(q.service !== undefined ? { service: q.service } : {}),
        ...(q.q !== undefined ? { text: q.q } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
    },
  );
};
