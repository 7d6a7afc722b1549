import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { SloSpecInvalidError } from "./errors.js";
import { explainSlo } from "./explain.js";
import { finiteOrZero } from "./finite.js";
import type { Slo } from "./model.js";
import {
  AdjustmentBody,
  AlertEventSchema,
  AlertEventsQuery,
  AnnotationBody,
  ApplyBody,
  ApplyResponse,
  SeriesQuery,
  SeriesResponse,
  SloDetailSchema,
  SloParams,
  SloSummarySchema,
} from "./slo.schemas.js";
import type { SloStore } from "./slo.store.js";
import { SeriesRangeInvalidError, SloNotFoundError } from "./slo-api-errors.js";
import type { SloRuntime } from "./slo-runtime.js";
import { sloSeries, summarize } from "./slo-views.js";
import { hasErrors, parseSpecFiles, toNativeYaml } from "./spec/index.js";

export interface SloRoutesOptions {
  readonly store: SloStore;
  readonly runtime: SloRuntime;
}

const tags = ["slo"];

export const sloRoutes: FastifyPluginAsyncTypebox<SloRoutesOptions> = async (app, { store, runtime }) => {
  const requireSlo = async (service: string, name: string) => {
    const stored = await store.get(`${service}/${name}`);
    if (!stored) throw new SloNotFoundError(`no SLO ${service}/${name}`, { service, name });
    return stored;
  };

  app.post(
    "/api/v1/slos/apply",
    {
      schema: {
        tags,
        summary:
          "Apply SLO specs (nines/v1, OpenSLO v1 or Sloth); all or nothing, with diagnostics by file and line.",
        body: ApplyBody,
        response: { 200: ApplyResponse, ...errorResponses },
      },
    },
    async (request) => {
      const parsed = parseSpecFiles(request.body.files);
      const warnings = parsed.diagnostics.filter((d) => d.severity === "warning");
      if (hasErrors(parsed.diagnostics) || parsed.slos.length === 0) {
        const diagnostics =
          parsed.slos.length === 0 && !hasErrors(parsed.diagnostics)
            ? [
                {
                  severity: "error",
                  file: request.body.files[0]!.path,
                  line: 1,
                  column: 1,
                  path: "",
                  message: "no SLO found in the files",
                },
              ]
            : parsed.diagnostics;
        const first = diagnostics.find((d) => d.severity === "error")!;
        throw new SloSpecInvalidError(
          `${first.file}:${first.line}:${first.column} ${first.path}: ${first.message}`,
          { diagnostics },
        );
      }
      if (request.body.dryRun) {
        return { results: parsed.slos.map((slo) => ({ id: slo.id, outcome: "valid" as const })), warnings };
      }
      const specs = parsed.slos.map((slo) => ({
        slo,
        yaml: toNativeYaml(slo),
        format: parsed.origins[slo.id]?.format ?? "nines",
      }));
      const outcomes = await store.apply(specs, request.principal?.name ?? "anonymous");
      for (const [i, slo] of parsed.slos.entries())
        if (outcomes[i] !== "unchanged") await runtime.register(slo);
      return { results: parsed.slos.map((slo, i) => ({ id: slo.id, outcome: outcomes[i]! })), warnings };
    },
  );

  app.get(
    "/api/v1/slos",
    {
      schema: {
        tags,
        summary: "Every SLO with its SLI now, budget remaining, burn rates and alert state.",
        querystring: Type.Object(
          {
            service: Type.Optional(Type.String()),
            team: Type.Optional(Type.String()),
            state: Type.Optional(Type.Union(["ok", "ticket", "page", "no data"].map((s) => Type.Literal(s)))),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(SloSummarySchema), ...errorResponses },
      },
    },
    async (request) => {
      const now = Date.now();
      const { service, team, state } = request.query;
      const all = (await store.list())
        .filter((s) => (!service || s.slo.service === service) && (!team || s.slo.team === team))
        .flatMap((stored) => {
          const status = runtime.status(stored.slo.id, now);
          return status ? [summarize(stored, status, runtime.sourceStatus.get(stored.slo.id))] : [];
        });
      return state ? all.filter((s) => s.state === state) : all;
    },
  );

  app.get(
    "/api/v1/slos/:service/:name",
    {
      schema: {
        tags,
        summary: "One SLO: spec, status per window and alert line, forecast, explain table.",
        params: SloParams,
        response: { 200: SloDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const stored = await requireSlo(request.params.service, request.params.name);
      const status = runtime.status(stored.slo.id)!;
      return {
        summary: summarize(stored, status, runtime.sourceStatus.get(stored.slo.id)),
        yaml: stored.yaml,
        format: stored.format,
        spec: stored.slo,
        windows: status.windows.map((w) => ({ ...w, burnRate: finiteOrZero(w.burnRate) })),
        lines: status.lines.map((l) => ({
          ...l,
          burnRate: finiteOrZero(l.burnRate),
          longBurnRate: finiteOrZero(l.longBurnRate),
          shortBurnRate: finiteOrZero(l.shortBurnRate),
        })),
        forecasts: status.forecasts.map((f) => ({ ...f, burnRate: finiteOrZero(f.burnRate) })),
        explain: JSON.parse(JSON.stringify(explainSlo(stored.slo))) as unknown,
      };
    },
  );

  app.delete(
    "/api/v1/slos/:service/:name",
    {
      schema: {
        tags,
        summary: "Delete an SLO (history and samples are kept).",
        params: SloParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = `${request.params.service}/${request.params.name}`;
      if (!(await store.remove(id, request.principal?.name ?? "anonymous")))
        throw new SloNotFoundError(`no SLO ${id}`);
      runtime.unregister(id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/v1/slos/:service/:name/versions",
    {
      schema: {
        tags,
        summary: "Version history of a spec, newest first.",
        params: SloParams,
        response: {
          200: Type.Array(
            Type.Object({
              version: Type.Integer(),
              yaml: Type.String(),
              appliedAt: Type.Number(),
              appliedBy: Type.String(),
              change: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => store.versions(`${request.params.service}/${request.params.name}`),
  );

  app.get(
    "/api/v1/slos/:service/:name/series",
    {
      schema: {
        tags,
        summary:
          "Chart data: SLI, budget remaining and burn rate per alert window over time, with annotations.",
        params: SloParams,
        querystring: SeriesQuery,
        response: { 200: SeriesResponse, ...errorResponses },
      },
    },
    async (request) => {
      const stored = await requireSlo(request.params.service, request.params.name);
      const to = request.query.to ?? Date.now();
      const from = request.query.from ?? to - defaultRangeMs(stored.slo);
      const step = request.query.step ?? Math.max(10_000, Math.ceil((to - from) / 240 / 10_000) * 10_000);
      if (!(from < to) || (to - from) / step > 11_000) {
        throw new SeriesRangeInvalidError(
          `from ${from}, to ${to}, step ${step} is not a range of at most 11,000 points`,
        );
      }
      return sloSeries(
        runtime,
        stored.slo,
        { from, to, step },
        await store.annotations(stored.slo.id, from, to),
      );
    },
  );

  app.get(
    "/api/v1/slos/:service/:name/alerts",
    {
      schema: {
        tags,
        summary: "Alert transitions (firing/resolved) of an SLO, newest first.",
        params: SloParams,
        querystring: AlertEventsQuery,
        response: { 200: Type.Array(AlertEventSchema), ...errorResponses },
      },
    },
    async (request) => {
      const stored = await requireSlo(request.params.service, request.params.name);
      return store.alertEvents({ sloId: stored.slo.id, ...request.query });
    },
  );

  app.get(
    "/api/v1/slo-alerts",
    {
      schema: {
        tags,
        summary: "Alert transitions of every SLO, newest first.",
        querystring: AlertEventsQuery,
        response: { 200: Type.Array(AlertEventSchema), ...errorResponses },
      },
    },
    async (request) => store.alertEvents({ limit: 200, ...request.query }),
  );

  app.post(
    "/api/v1/slos/:service/:name/annotations",
    {
      schema: {
        tags,
        summary: "Mark a deploy, incident or note on the SLO's timeline.",
        params: SloParams,
        body: AnnotationBody,
        response: { 201: Type.Object({ id: Type.Number() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const stored = await requireSlo(request.params.service, request.params.name);
      const { kind, at, endAt, text } = request.body;
      const created = await store.addAnnotation({
        sloId: stored.slo.id,
        kind,
        at,
        endAt: endAt ?? null,
        text,
        author: request.principal?.name ?? "anonymous",
      });
      return reply.status(201).send({ id: created.id });
    },
  );

  app.post(
    "/api/v1/slos/:service/:name/adjustments",
    {
      schema: {
        tags,
        summary:
          "Exclude a time range from the error budget (planned maintenance, a dependency's outage); audited, and the budget is recomputed.",
        params: SloParams,
        body: AdjustmentBody,
        response: {
          201: Type.Object({ id: Type.Number(), budgetRemaining: Type.Number() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const stored = await requireSlo(request.params.service, request.params.name);
      const { from, to, reason } = request.body;
      if (!(from < to))
        throw new SeriesRangeInvalidError("adjustment `from` must be before `to`", { from, to });
      const created = await store.addAdjustment({
        sloId: stored.slo.id,
        fromMs: from,
        toMs: to,
        reason,
        author: request.principal?.name ?? "anonymous",
      });
      await runtime.rebuild(stored.slo.id);
      const status = runtime.status(stored.slo.id)!;
      return reply
        .status(201)
        .send({ id: created.id, budgetRemaining: finiteOrZero(status.budget.remainingShare) });
    },
  );
};

function defaultRangeMs(slo: Slo): number {
  return slo.window.kind === "rolling" ? Math.min(slo.window.lengthMs, 30 * 86_400_000) : 30 * 86_400_000;
}
