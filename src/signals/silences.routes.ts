import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { parseDuration } from "./duration.js";
import { SilenceInvalidError } from "./errors.js";
import { inRequestPart } from "./field-paths.js";
import { formatMatcher } from "./matcher.js";
import { type SilenceState, silenceState } from "./silence.js";
import { SilenceNotFoundError } from "./silences.errors.js";
import { CreateSilenceBody, SilenceListQuery, SilenceParams, SilenceSchema } from "./silences.schemas.js";
import type { SilenceStore, StoredSilence } from "./silences.store.js";

export interface SilenceRoutesOptions {
  readonly store: SilenceStore;
}

const tags = ["silences"];

const view = (s: StoredSilence, now: number) => ({
  id: s.id,
  matchers: s.matchers.map(formatMatcher),
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  createdBy: s.createdBy,
  comment: s.comment,
  state: silenceState(s, now),
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** Silences: create (matchers, start, end or duration, comment), list by state, expire. */
export const silenceRoutes: FastifyPluginAsyncTypebox<SilenceRoutesOptions> = async (app, { store }) => {
  app.post(
    "/api/v1/silences",
    {
      schema: {
        tags,
        summary:
          "Silence signals whose labels match every matcher, from startsAt (default now) until endsAt or for a duration.",
        body: CreateSilenceBody,
        response: { 201: SilenceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = Date.now();
      const b = request.body;
      const silence = await inRequestPart("body", async () => {
        const startsAt = b.startsAt ?? now;
        if (b.endsAt !== undefined && b.duration !== undefined)
          throw new SilenceInvalidError("invalid silence", [
            { path: "duration", message: "give endsAt or duration, not both" },
          ]);
        const endsAt =
          b.endsAt ?? (b.duration !== undefined ? startsAt + (parseDuration(b.duration) ?? 0) : undefined);
        if (endsAt === undefined)
          throw new SilenceInvalidError("invalid silence", [
            { path: "endsAt", message: "is required (or give duration)" },
          ]);
        return store.create(
          { matchers: b.matchers, startsAt, endsAt, comment: b.comment },
          request.principal?.name ?? "anonymous",
          now,
        );
      });
      return reply.status(201).send(view(silence, now));
    },
  );

  app.get(
    "/api/v1/silences",
    {
      schema: {
        tags,
        summary: "Silences, latest ending first, with their state now (pending, active, expired).",
        querystring: SilenceListQuery,
        response: { 200: Type.Array(SilenceSchema), ...errorResponses },
      },
    },
    async (request) => {
      const now = Date.now();
      const { state, limit } = request.query;
      const list = await store.list(
        {
          ...(state !== undefined ? { state: state as SilenceState } : {}),
          ...(limit !== undefined ? { limit } : {}),
        },
        now,
      );
      return list.map((s) => view(s, now));
    },
  );

  app.get(
    "/api/v1/silences/:id",
    {
      schema: {
        tags,
        summary: "One silence.",
        params: SilenceParams,
        response: { 200: SilenceSchema, ...errorResponses },
      },
    },
    async (request) => {
      const silence = await store.get(request.params.id);
      if (!silence)
        throw new SilenceNotFoundError(`no silence ${request.params.id}`, { id: request.params.id });
      return view(silence, Date.now());
    },
  );

  app.delete(
    "/api/v1/silences/:id",
    {
      schema: {
        tags,
        summary: "Expire a silence now (it is kept, as expired; expiring an expired one changes nothing).",
        params: SilenceParams,
        response: { 200: SilenceSchema, ...errorResponses },
      },
    },
    async (request) => {
      const now = Date.now();
      const silence = await store.expire(request.params.id, request.principal?.name ?? "anonymous", now);
      return view(silence, now);
    },
  );
};
