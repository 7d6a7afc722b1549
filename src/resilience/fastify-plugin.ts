import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from "fastify";
import { type Criticality, criticalityFromHeaders } from "./criticality.js";
import {
  type Deadline,
  type DeadlineSignal,
  deadlineExceeded,
  deadlineFromHeaders,
  deadlineSignal,
  remainingMs,
} from "./deadline.js";
import { LoadShedder, type LoadShedderOptions, type Release } from "./load-shedder.js";
import { rejectionResponse } from "./shed-response.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The caller's propagated deadline (`nines-deadline-ms`), or null. Set by the nines-resilience plugin. */
    ninesDeadline: Deadline | null;
    /** Aborted when the propagated deadline passes; null without a deadline. Pass it to downstream calls. */
    ninesSignal: AbortSignal | null;
  }
}

/** Options of the `nines-resilience` Fastify plugin. */
export interface ResilienceFastifyOptions {
  /** A shedder to share (e.g. to read its gauges); otherwise one is made from `limits`. */
  readonly shedder?: LoadShedder;
  /** Options of the shedder made when `shedder` is absent (default: limit 100, no queue). */
  readonly limits?: LoadShedderOptions;
  /** Criticality of a request (default: the `nines-criticality` header). */
  readonly criticality?: (request: FastifyRequest) => Criticality;
  /** Requests that bypass shedding, e.g. `/healthz` and `/metrics`. */
  readonly exclude?: (request: FastifyRequest) => boolean;
  /** Read `nines-deadline-ms`, answer 504 when already spent, expose `request.ninesDeadline`/`ninesSignal` (default true). */
  readonly deadlines?: boolean;
  /** Upper bound of a propagated deadline, in ms (default 60 000). */
  readonly maxDeadlineMs?: number;
}

interface RequestState {
  release?: Release;
  deadline?: DeadlineSignal;
}

const plugin: FastifyPluginCallback<ResilienceFastifyOptions> = (app: FastifyInstance, options, done) => {
  const shedder = options.shedder ?? new LoadShedder(options.limits ?? { limit: 100 });
  const criticalityOf =
    options.criticality ?? ((request: FastifyRequest) => criticalityFromHeaders(request.headers));
  const deadlines = options.deadlines ?? true;
  const maxDeadlineMs = options.maxDeadlineMs ?? 60_000;
  const states = new WeakMap<FastifyRequest, RequestState>();

  const finish = (request: FastifyRequest, dropped: boolean) => {
    const state = states.get(request);
    if (state === undefined) return;
    states.delete(request);
    state.deadline?.dispose();
    state.release?.(dropped);
  };

  app.decorateRequest("ninesDeadline", null);
  app.decorateRequest("ninesSignal", null);

  app.addHook("onRequest", async (request, reply) => {
    const state: RequestState = {};
    if (deadlines) {
      const deadline = deadlineFromHeaders(request.headers, { maxMs: maxDeadlineMs });
      if (deadline !== undefined) {
        if (remainingMs(deadline) <= 0) {
          const rejection = rejectionResponse(deadlineExceeded(deadline));
          return reply.code(rejection.statusCode).headers(rejection.headers).send(rejection.body);
        }
        state.deadline = deadlineSignal(deadline);
        request.ninesDeadline = deadline;
        request.ninesSignal = state.deadline.signal;
      }
    }
    states.set(request, state);
    if (options.exclude?.(request)) return;
    try {
      state.release = await shedder.acquire(criticalityOf(request));
    } catch (error) {
      finish(request, false);
      const rejection = rejectionResponse(error);
      return reply.code(rejection.statusCode).headers(rejection.headers).send(rejection.body);
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    finish(request, reply.statusCode === 503 || reply.statusCode === 504);
  });
  app.addHook("onRequestAbort", async (request) => {
    finish(request, true);
  });
  done();
};

/**
 * Fastify plugin `nines-resilience`: load shedding (503 + `Retry-After` + `nines-no-retry`)
 * with request criticality, and deadline propagation for incoming requests. Registered without
 * encapsulation so it covers every route. Does not import fastify at run time.
 * @example await app.register(ninesResilience, { limits: { limit: 64, maxQueue: 64, maxQueueTimeMs: 50 },
 *   exclude: (req) => req.url === "/healthz" });
 */
export const ninesResilience: FastifyPluginCallback<ResilienceFastifyOptions> = Object.assign(plugin, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "nines-resilience",
  [Symbol.for("plugin-meta")]: { name: "nines-resilience", fastify: "5.x" },
});
