import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { isNinesError } from "../errors/index.js";
import type { FieldError } from "../schema/field-errors.js";
import { errorResponses } from "../server/common.schemas.js";
import { SignalInvalidError } from "./errors.js";
import { SignalNotFoundError } from "./page-errors.js";
import type { Signal } from "./signal.js";
import { toSignal } from "./signal-input.js";
import {
  IngestResponse,
  RouteTestBody,
  RouteTestResponse,
  RoutingResponse,
  SignalDetailSchema,
  SignalSchema,
  SignalsBody,
  SignalsQuery,
} from "./signals.schemas.js";
import type { SignalsDomain } from "./signals-domain.js";
import { testRoute } from "./test-route.js";

export interface SignalsRoutesOptions {
  readonly signals: SignalsDomain;
}

const MAX_BATCH = 1000;
const tags = ["signals"];

/**
 * Validates a submitted body (one signal, or `{ signals: [...] }`) into signals; every problem
 * is named by its path (`signals[3].title`), and none is stored when any is wrong.
 */
export function parseSignalsBody(body: unknown, now: number): Signal[] {
  const batch =
    typeof body === "object" && body !== null && !Array.isArray(body) && Object.hasOwn(body, "signals");
  const items = batch ? (body as { signals: unknown }).signals : [body];
  const errors: FieldError[] = [];
  if (batch) {
    const extra = Object.keys(body as object).filter((k) => k !== "signals");
    for (const k of extra) errors.push({ path: k, message: "unknown field" });
    if (!Array.isArray(items) || items.length === 0) {
      errors.push({ path: "signals", message: "must be a non-empty array of signals" });
    } else if (items.length > MAX_BATCH) {
      errors.push({ path: "signals", message: `at most ${MAX_BATCH} signals per request` });
    }
  }
  const signals: Signal[] = [];
  if (errors.length === 0) {
    (items as unknown[]).forEach((item, i) => {
      try {
        signals.push(toSignal(item, now));
      } catch (error) {
        if (!isNinesError(error)) throw error;
        for (const d of (error.details as FieldError[] | undefined) ?? []) {
          errors.push({
            path: batch ? `signals[${i}].${d.path}`.replace(/\.$/, "") : d.path,
            message: d.message,
          });
        }
      }
    });
  }
  if (errors.length > 0) {
    throw new SignalInvalidError(
      `invalid signal: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      errors,
    );
  }
  return signals;
}

export const signalsRoutes: FastifyPluginAsyncTypebox<SignalsRoutesOptions> = async (app, { signals }) => {
  app.post(
    "/api/v1/signals",
    {
      config: { access: "write" },
      // The body is checked by parseSignalsBody, which names every field path of a batch at once.
      validatorCompiler: () => () => true,
      schema: {
        tags,
        summary:
          "Send signals (one, or up to 1,000 in `signals`): each is classified as a page, a ticket or a log, deduplicated by fingerprint and stored in one transaction.",
        body: SignalsBody,
        response: { 200: IngestResponse, ...errorResponses },
      },
    },
    async (request) => {
      const parsed = parseSignalsBody(request.body, Date.now());
      return { results: await signals.ingest(parsed) };
    },
  );

  app.get(
    "/api/v1/signals",
    {
      schema: {
        tags,
        summary: "Signals by fingerprint with their current state and classification, latest first.",
        querystring: SignalsQuery,
        response: { 200: Type.Array(SignalSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return signals.store.listSignals({
        ...(q.status ? { status: q.status } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
        ...(q.service ? { service: q.service } : {}),
        ...(q.source ? { source: q.source } : {}),
        ...(q.team ? { team: q.team } : {}),
        limit: q.limit ?? 200,
      });
    },
  );

  app.get(
    "/api/v1/signals/:fingerprint",
    {
      schema: {
        tags,
        summary: "One signal, the rule that classified it, and the latest receipts of it.",
        params: Type.Object({ fingerprint: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: { 200: SignalDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const signal = await signals.store.signal(request.params.fingerprint);
      if (signal === undefined) {
        throw new SignalNotFoundError(`no signal with fingerprint ${request.params.fingerprint}`);
      }
      return {
        signal,
        classification: {
          outcome: signal.outcome,
          rule: signal.rule,
          groupKey: signal.groupKey,
          muted: signal.muted,
        },
        events: await signals.store.signalEvents(signal.fingerprint),
      };
    },
  );

  app.get(
    "/api/v1/routing",
    {
      schema: {
        tags,
        summary: "The routing config in force (the built-in default until one is stored).",
        response: { 200: RoutingResponse, ...errorResponses },
      },
    },
    async () => {
      const r = await signals.routing.current();
      return { version: r.version, updatedAt: r.updatedAt, updatedBy: r.updatedBy, config: r.input };
    },
  );

  app.put(
    "/api/v1/routing",
    {
      config: { access: "admin" },
      // compileRoutingConfig checks the shape and names every field path, regexes and durations too.
      validatorCompiler: () => () => true,
      schema: {
        tags,
        summary: "Store a new version of the routing config; 400 names each invalid field path.",
        body: Type.Unknown({ description: "A routing config (see docs/signals.md)." }),
        response: { 200: RoutingResponse, ...errorResponses },
      },
    },
    async (request) => {
      const r = await signals.routing.put(request.body, request.principal?.name ?? "anonymous");
      return { version: r.version, updatedAt: r.updatedAt, updatedBy: r.updatedBy, config: r.input };
    },
  );

  app.post(
    "/api/v1/routing/test",
    {
      config: { access: "read" },
      schema: {
        tags,
        summary:
          "Which rule classifies these labels as what, and who it would reach (like `nines routes test`).",
        body: RouteTestBody,
        response: { 200: RouteTestResponse, ...errorResponses },
      },
    },
    async (request) => {
      const result = testRoute((await signals.routing.current()).config, request.body.labels);
      return {
        ...result,
        labels: { ...result.labels },
        matches: result.matches.map((m) => ({ ...m, groupBy: [...m.groupBy] })),
      };
    },
  );
};
