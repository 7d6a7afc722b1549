import http from "node:http";
import https from "node:https";
import { deliveryError } from "./delivery-error.js";
import type { DestinationGuard } from "./destination-guard.js";

/** What a receiver answered. The body is read up to 16 KiB (for the attempt log and error messages). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const MAX_BODY = 16 * 1024;
/** Most parsed URLs kept (the set is cleared when full). */
const MAX_CHECKED = 1_000;

/**
 * POSTs to user-configured URLs through the destination guard: every new connection resolves
 * the host with the guard's lookup (so the address actually connected to is the one checked),
 * address literals are checked before connecting, and redirects are never followed.
 */
export function guardedHttp(guard: DestinationGuard) {
  const lookup = guard.lookup as unknown as NonNullable<http.AgentOptions["lookup"]>;
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: 64, lookup }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: 64, lookup }),
  };
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
    post(
      url: string,
      body: string,
      headers: Record<string, string>,
      signal: AbortSignal,
    ): Promise<HttpAnswer> {
      let target: URL;
      try {
        target = checkedUrl(url);
      } catch (error) {
        return Promise.reject(error);
      }
      if (signal.aborted) return Promise.reject(signal.reason);
      const payload = Buffer.from(body);
      const client = target.protocol === "https:" ? https : http;
      return new Promise<HttpAnswer>((resolve, reject) => {
        // The signal is watched only until the answer is read: aborting after that (the attempt
        // ending) must not touch a request whose socket went back to the keep-alive pool.
        const onAbort = () => {
          request.destroy();
          settle(signal.reason);
        };
        const settle = (error: unknown, answer?: HttpAnswer) => {
          signal.removeEventListener("abort", onAbort);
          if (answer) resolve(answer);
          else reject(error);
        };
        const request = client.request(
          target,
          {
            method: "POST",
            agent: agents[target.protocol as "http:" | "https:"],
            headers: {
              "content-type": "application/json",
              "content-length": String(payload.length),
              "user-agent": "nines-notifier",
              ...headers,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on("data", (chunk: Buffer) => {
              if (size < MAX_BODY) chunks.push(chunk);
              size += chunk.length;
            });
            response.on("end", () =>
              settle(undefined, {
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY),
              }),
            );
            response.on("error", settle);
          },
        );
        signal.addEventListener("abort", onAbort, { once: true });
        request.on("error", settle);
        request.end(payload);
      });
    },
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

export type GuardedHttp = ReturnType<typeof guardedHttp>;
