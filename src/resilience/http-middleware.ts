import type { IncomingMessage, ServerResponse } from "node:http";
import { type Criticality, criticalityFromHeaders } from "./criticality.js";
import { deadlineExceeded, deadlineFromHeaders, remainingMs } from "./deadline.js";
import type { LoadShedder } from "./load-shedder.js";
import { rejectionResponse } from "./shed-response.js";

export interface HttpLoadSheddingOptions {
  readonly shedder: LoadShedder;
  /** Criticality of a request (default: the `nines-criticality` header). */
  readonly criticality?: (request: IncomingMessage) => Criticality;
  /** Requests that bypass shedding, e.g. health checks and /metrics. */
  readonly exclude?: (request: IncomingMessage) => boolean;
  /** Answer 504 at once when the caller's propagated deadline is already spent (default true). */
  readonly rejectExpiredDeadlines?: boolean;
}

/** A connect-style middleware: `next()` continues, `next(error)` reports an unexpected error. */
export type HttpMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

function reject(response: ServerResponse, error: unknown): void {
  const rejection = rejectionResponse(error);
  response.writeHead(rejection.statusCode, rejection.headers);
  response.end(JSON.stringify(rejection.body));
}

/**
 * Load shedding for a plain Node `http` server: admits the request through the shedder, frees
 * the slot when the response closes, and otherwise answers 503 + `Retry-After` + `nines-no-retry`.
 * @example
 * const shed = httpLoadShedding({ shedder: new LoadShedder({ limit: 100 }) });
 * http.createServer((req, res) => shed(req, res, () => handle(req, res)));
 */
export function httpLoadShedding(options: HttpLoadSheddingOptions): HttpMiddleware {
  const { shedder } = options;
  const criticalityOf =
    options.criticality ?? ((request: IncomingMessage) => criticalityFromHeaders(request.headers));
  const rejectExpired = options.rejectExpiredDeadlines ?? true;
  return (request, response, next) => {
    if (options.exclude?.(request)) return next();
    if (rejectExpired) {
      const deadline = deadlineFromHeaders(request.headers);
      if (deadline !== undefined && remainingMs(deadline) <= 0)
        return reject(response, deadlineExceeded(deadline));
    }
    const aborted = new AbortController();
    const onClose = () => aborted.abort();
    response.once("close", onClose);
    shedder.acquire(criticalityOf(request), aborted.signal).then(
      (release) => {
        response.off("close", onClose);
        if (response.destroyed) return release(true);
        response.once("close", () =>
          release(!response.writableFinished || response.statusCode === 503 || response.statusCode === 504),
        );
        next();
      },
      (error: unknown) => {
        response.off("close", onClose);
        if (!response.destroyed) reject(response, error);
      },
    );
  };
}
