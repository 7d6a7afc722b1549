import { Agent } from "undici";
import { deliveryError } from "./delivery-error.js";
import type { DestinationGuard } from "./destination-guard.js";

/** What a receiver answered. The body is read up to 16 KiB (for the attempt log and error messages). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

const MAX_BODY = 16 * 1024;
/** Most parsed URLs kept (the set is cleared when full). */
const MAX_CHECKED = 1_000;
/** Keep-alive connections per receiver origin. */
const CONNECTIONS_PER_ORIGIN = 64;

/**
 * POSTs to user-configured URLs through the destination guard: every new connection resolves
 * the host with the guard's lookup (so the address actually connected to is the one checked),
 * address literals are checked before connecting, and redirects are never followed.
 *
 * Requests go through undici, whose HTTP/1.1 client costs a third of node:http's CPU per request
 * (measured in bench/notifications.bench.ts): outbox delivery is bound by the sender's CPU. For the
 * same reason a post is bounded by the agent's timeouts, not by an AbortSignal: the caller's policy
 * already ends an attempt at its time limit, and a signal per request (an AbortController and its
 * listeners in undici) took a sixth of the sender's CPU.
 */
export function guardedHttp(guard: DestinationGuard, limits: { readonly timeoutMs: number }) {
  const agent = new Agent({
    connections: CONNECTIONS_PER_ORIGIN,
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.timeoutMs,

    // net.connect/tls.connect options: the guard's lookup runs on every new connection.
    connect: { lookup: guard.lookup as never, timeout: limits.timeoutMs },
  });
  /** Parsed and checked URLs: receivers post to the same few URLs again and again. */
  const checked = new Map<string, URL>();
  const checkedUrl = (url: string): URL => {
    let target = checked.get(url);
    if (target === undefined) {
      target = new URL(url);
      if (target.protocol !== "http:" && target.protocol !== "https:")
        throw deliveryError(`${target.protocol} URLs are not allowed`, { permanent: true });
      guard.checkLiteral(target.hostname);
      if (checked.size >= MAX_CHECKED) checked.clear();
      checked.set(url, target);
    }
    return target;
  };
  return {
    async post(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
      const target = checkedUrl(url);
      const response = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "nines-notifier",
          ...headers,
        },
        body,
      });
      const text = await readText(response.body);
      return { status: response.statusCode, headers: response.headers, body: text };
    },
    close() {
      void agent.close();
    },
  };
}

export type GuardedHttp = ReturnType<typeof guardedHttp>;

/**
 * The first {@link MAX_BODY} characters of a response body; the rest is read and dropped, so the
 * connection goes back to the pool. Plain stream events: an async iterator per response costs a
 * busy sender several percent of its CPU.
 */
function readText(body: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    body.setEncoding("utf8");
    body.on("data", (chunk: string) => {
      if (text.length < MAX_BODY) text += chunk;
    });
    body.on("end", () => resolve(text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text));
    body.on("error", reject);
  });
}
