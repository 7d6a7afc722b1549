import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { backtest } from "./backtest.js";
import { SloSpecInvalidError } from "./errors.js";
import { finiteOrZero } from "./finite.js";
import { parseSliCsv } from "./sli-csv.js";
import { AlertEventSchema, ApplyBody } from "./slo.schemas.js";
import { hasErrors, parseSpecFiles } from "./spec/index.js";

const BacktestBody = Type.Object(
  {
    files: ApplyBody.properties.files,
    slo: Type.Optional(Type.String({ description: "SLO id (service/name) when the files hold several" })),
    csv: Type.String({
      maxLength: 64 * 1024 * 1024,
      description: "timestamp,good|bad,total or le=… columns, as `nines slo backtest`",
    }),
    cumulative: Type.Optional(Type.Boolean()),
    tickSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  { additionalProperties: false },
);

const BacktestResponse = Type.Object({
  sloId: Type.String(),
  events: Type.Array(Type.Omit(AlertEventSchema, ["id"])),
  summary: Type.Object({
    samples: Type.Integer(),
    ticks: Type.Integer(),
    fromMs: Type.Union([Type.Number(), Type.Null()]),
    toMs: Type.Union([Type.Number(), Type.Null()]),
    pages: Type.Integer(),
    tickets: Type.Integer(),
    firstBadSampleMs: Type.Union([Type.Number(), Type.Null()]),
    firstFiringMs: Type.Union([Type.Number(), Type.Null()]),
    detectionDelayMs: Type.Union([Type.Number(), Type.Null()]),
    budgetConsumed: Type.Number(),
    firingMs: Type.Record(Type.String(), Type.Number()),
  }),
});

/** `POST /api/v1/slos/backtest`: the same replay as `nines slo backtest`, for tools that hold the data. */
export const backtestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/v1/slos/backtest",
    {
      bodyLimit: 80 * 1024 * 1024,
      config: { access: "read" },
      schema: {
        tags: ["slo"],
        summary: "Replay recorded SLI data (CSV) through a spec's alert policy; nothing is stored.",
        body: BacktestBody,
        response: { 200: BacktestResponse, ...errorResponses },
      },
    },
    async (request) => {
      const parsed = parseSpecFiles(request.body.files);
      const wanted = request.body.slo;
      const slo = wanted
        ? parsed.slos.find((s) => s.id === wanted)
        : parsed.slos.length === 1
          ? parsed.slos[0]
          : undefined;
      if (hasErrors(parsed.diagnostics) || !slo) {
        const message = hasErrors(parsed.diagnostics)
          ? "the spec has errors"
          : `pick one SLO with "slo" (${parsed.slos.map((s) => s.id).join(", ") || "the files hold none"})`;
        throw new SloSpecInvalidError(message, { diagnostics: parsed.diagnostics });
      }
      const lines = request.body.csv.split(/\r?\n/);
      const samples = parseSliCsv(
        lines,
        slo.sli.kind === "latency" ? { thresholdSeconds: slo.sli.thresholdSeconds } : {},
      );
      const result = await backtest(slo, samples, {
        tickMs: (request.body.tickSeconds ?? 30) * 1000,
        kind: request.body.cumulative ? "cumulative" : "interval",
      });
      return {
        sloId: slo.id,
        events: result.events.map((e) => ({
          ...e,
          burnRates: { long: finiteOrZero(e.burnRates.long), short: finiteOrZero(e.burnRates.short) },
          budgetRemaining: finiteOrZero(e.budgetRemaining),
        })),
        summary: { ...result.summary, budgetConsumed: finiteOrZero(result.summary.budgetConsumed) },
      };
    },
  );
};
