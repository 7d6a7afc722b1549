import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Counter, type Registry } from "prom-client";
import { Type } from "typebox";
import { UnsupportedMediaTypeError } from "../../errors/index.js";
import { errorResponses } from "../../server/common.schemas.js";
import type { Slo } from "../../slo/model.js";
import { RETENTION_MS, type SloRuntime } from "../../slo/slo-runtime.js";
import { decodeRemoteWrite } from "./decode-write-request.js";
import { RemoteWriteVersionError } from "./remote-write-errors.js";
import { type IngestCounts, type IngestResult, RemoteWriteIngest } from "./remote-write-ingest.js";
import type { WriteRequest } from "./write-request.js";

export interface RemoteWriteRoutesOptions {
  readonly runtime: SloRuntime;
  readonly registry: Registry;
  /** Largest compressed body accepted (the server's `bodyLimit`). */
  readonly bodyLimit: number;
  /** Largest decompressed body accepted (32 MiB unless given). */
  readonly maxDecodedBytes?: number;
}

const tags = ["prometheus"];
const MEDIA_TYPE = "application/x-protobuf";

const TargetSchema = Type.Object({
  slo: Type.String(),
  accepts: Type.Boolean({ description: "Whether remote-write series feed this SLO." }),
  events: Type.Optional(Type.Union([Type.Literal("good"), Type.Literal("bad")])),
  eventsSelector: Type.Optional(Type.String()),
  totalSelector: Type.Optional(Type.String()),
  problem: Type.Optional(Type.String({ description: "Why no remote-write series feed this SLO." })),
});

/**
 * Prometheus remote write 1.0: `POST /api/v1/write` (snappy-compressed protobuf
 * `prometheus.WriteRequest`, write token as bearer credentials). Series are matched to SLOs by
 * their specs (see remote-write-targets.ts), counters become interval samples, and the samples go
 * to the same durable sample log as `POST /api/v1/sli/samples`: 204 means stored.
 */
export const remoteWriteRoutes: FastifyPluginAsyncTypebox<RemoteWriteRoutesOptions> = async (
  app,
  options,
) => {
  const { runtime } = options;
  const ingest = new RemoteWriteIngest({ retentionMs: RETENTION_MS });
  const samplesTotal = new Counter({
    name: "nines_remote_write_samples_total",
    help: "Remote-write samples received, by what became of them (stored, unmatched, out_of_order, out_of_range, stale).",
    labelNames: ["result"],
    registers: [options.registry],
  });
  for (const result of ["stored", "unmatched", "out_of_order", "out_of_range", "stale"] as const)
    samplesTotal.inc({ result }, 0);
  // Group commit: the requests waiting while a write runs are planned one after the other in
  // arrival order (each on the state the previous ones leave), stored with ONE runtime.ingest,
  // and committed together once durable; if the write fails, every request of the group fails
  // (5xx, the sender retries) and the counter state stays where the last durable write left it.
  interface Waiting {
    readonly request: WriteRequest;
    readonly resolve: (counts: IngestCounts) => void;
    readonly reject: (error: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let writing = false;
  const writeGroups = async (): Promise<void> => {
    // Let the requests parsed in the same I/O phase join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const now = Date.now();
        const batch = ingest.begin(runtime.specs as ReadonlyMap<string, Slo>, now);
        const counts = group.map((w) => batch.add(w.request).counts);
        if (batch.samples.length > 0) await runtime.ingest(batch.samples, new Map(), now);
        batch.commit();
        for (let i = 0; i < group.length; i++) group[i]!.resolve(counts[i]!);
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    writing = false;
  };
  const store = (request: WriteRequest): Promise<IngestCounts> =>
    new Promise((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!writing) {
        writing = true;
        void writeGroups();
      }
    });

  // Only this plugin (this route) parses protobuf bodies.
  app.addContentTypeParser(
    MEDIA_TYPE,
    { parseAs: "buffer", bodyLimit: options.bodyLimit },
    (_req, body, done) => done(null, body),
  );

  app.post(
    "/api/v1/write",
    {
      config: { access: "write" },
      schema: {
        tags,
        summary:
          "Prometheus remote write 1.0 receiver (snappy protobuf): series matching an SLO's selectors become its samples; 204 means durable.",
        consumes: [MEDIA_TYPE],
        response: { 204: Type.Null(), 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const contentType = String(request.headers["content-type"] ?? "");
      const [essence, ...params] = contentType.split(";").map((p) => p.trim());
      if (essence?.toLowerCase() !== MEDIA_TYPE || !Buffer.isBuffer(request.body)) {
        throw new UnsupportedMediaTypeError(
          `Content-Type must be ${MEDIA_TYPE} (remote write 1.0), got ${JSON.stringify(contentType)}`,
        );
      }
      const proto = params.find((p) => p.toLowerCase().startsWith("proto="))?.slice(6);
      if (proto !== undefined && proto !== "prometheus.WriteRequest") {
        throw new UnsupportedMediaTypeError(
          `Content-Type proto=${proto} is not supported: nines accepts remote write 1.0 (prometheus.WriteRequest)`,
        );
      }
      const encoding = String(request.headers["content-encoding"] ?? "");
      if (encoding.toLowerCase() !== "snappy") {
        throw new UnsupportedMediaTypeError(
          `Content-Encoding must be snappy (remote write 1.0), got ${JSON.stringify(encoding)}`,
        );
      }
      const version = request.headers["x-prometheus-remote-write-version"];
      if (version !== undefined && !/^0\.1(\.\d+)?$/.test(String(version))) {
        throw new RemoteWriteVersionError(
          `X-Prometheus-Remote-Write-Version ${JSON.stringify(String(version))} is not supported: nines speaks 0.1.0 (remote write 1.0)`,
          { header: "X-Prometheus-Remote-Write-Version", value: String(version) },
        );
      }
      const body = request.body;
      const decoded = decodeRemoteWrite(
        new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        options.maxDecodedBytes,
      );
      const counts = await store(decoded);
      for (const [result, n] of Object.entries(counts) as [IngestResult, number][])
        if (n > 0) samplesTotal.inc({ result }, n);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/v1/write/targets",
    {
      schema: {
        tags,
        summary: "Which remote-write series feed each SLO (selectors derived from its spec), or why none do.",
        response: { 200: Type.Array(TargetSchema), ...errorResponses },
      },
    },
    async () =>
      ingest.targets(runtime.specs as ReadonlyMap<string, Slo>).map((r) =>
        r.ok
          ? {
              slo: r.target.sloId,
              accepts: true,
              events: r.target.events,
              eventsSelector: r.target.eventsSide.selector.text,
              totalSelector: r.target.totalSide.selector.text,
            }
          : { slo: r.sloId, accepts: false, problem: r.problem },
      ),
  );
};
