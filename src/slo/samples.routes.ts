import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import type { Static } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { type AjvIssue, validationError } from "../server/error-handler.js";
import { compileBodyValidator } from "../server/validator.js";
import type { Slo } from "./model.js";
import { convertSamples, type SampleBounds } from "./sample-input.js";
import { SamplesBody, SamplesResponse } from "./slo.schemas.js";
import type { SloStore } from "./slo.store.js";
import { SamplesRejectedError } from "./slo-api-errors.js";
import { type IngestResult, RETENTION_MS, type SloRuntime } from "./slo-runtime.js";

export interface SamplesRoutesOptions {
  readonly store: SloStore;
  readonly runtime: SloRuntime;
}

type SamplesBodyJson = Static<typeof SamplesBody>;

/**
 * `POST /api/v1/sli/samples`. This plugin reads JSON bodies as bytes: the plain form (what
 * scrapers and SDKs send) goes straight from the bytes into the store (`SloRuntime.ingestBody`);
 * anything else is parsed and validated as every other route does it, then converted sample by
 * sample so that each rejection names its index.
 */
export const samplesRoutes: FastifyPluginAsyncTypebox<SamplesRoutesOptions> = async (
  app,
  { store, runtime },
) => {
  const parseJson = app.getDefaultJsonParser("error", "error");
  const validate = compileBodyValidator(SamplesBody);

  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
    done(null, body),
  );

  /** The full path: parse, validate by the schema, convert sample by sample (naming each rejection's index). */
  const ingestJson = async (
    request: FastifyRequest,
    body: Buffer,
    bounds: SampleBounds,
  ): Promise<IngestResult> => {
    const json = await new Promise<unknown>((resolve, reject) =>
      parseJson(request, body.toString("utf8"), (error, value) => (error ? reject(error) : resolve(value))),
    );
    if (!validate(json)) throw validationError(validate.errors as AjvIssue[], "body");
    const { samples: inputs, cumulative = false } = json as SamplesBodyJson;
    const readings = cumulative
      ? await store.counterReadings([...new Set(inputs.map((s) => s.slo))])
      : new Map();
    const converted = convertSamples(inputs, {
      ...bounds,
      slos: runtime.specs as ReadonlyMap<string, Slo>,
      cumulative,
      readings,
    });
    if (converted.rejections.length > 0) {
      const first = converted.rejections[0]!;
      throw new SamplesRejectedError(
        `${converted.rejections.length} sample(s) rejected; samples[${first.index}]: ${first.reason}`,
        converted.rejections.map((r) => ({
          path: `body.samples[${r.index}]`,
          index: r.index,
          message: r.reason,
        })),
      );
    }
    const result = await runtime.ingest(converted.samples, converted.readings, bounds.now);
    return { accepted: result.accepted, unchanged: inputs.length - result.accepted };
  };

  app.post(
    "/api/v1/sli/samples",
    {
      // Validated below: by the plain-form reader, else by this schema after a full parse.
      validatorCompiler: () => () => true,
      schema: {
        tags: ["slo"],
        summary:
          "Push SLI samples (good/bad/total per interval or cumulative counters, or latency histogram buckets). 2xx means durable.",
        body: SamplesBody,
        response: { 200: SamplesResponse, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as unknown as Buffer;
      const bounds = { now: Date.now(), retentionMs: RETENTION_MS, futureToleranceMs: FUTURE_TOLERANCE_MS };
      return runtime.ingestBody(body, bounds) ?? ingestJson(request, body, bounds);
    },
  );
};

/** How far in the future a sample may be (clock skew). */
const FUTURE_TOLERANCE_MS = 300_000;
