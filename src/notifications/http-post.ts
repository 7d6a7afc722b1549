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
  return {
    post(
      url: string,
      body: string,
      headers: Record<string, string>,
      signal: AbortSignal,
    ): Promise<HttpAnswer> {
      const target = new URL(url);
      if (target.protocol !== "http:" && target.protocol !== "https:")
        return Promise.reject(deliveryError(`${target.protocol} URLs are not allowed`, { permanent: true }));
      try {
        guard.checkLiteral(target.hostname);
      } catch (error) {
        return Promise.reject(error);
      }
      const payload = Buffer.from(body);
      const client = target.protocol === "https:" ? https : http;
      return new Promise<HttpAnswer>((resolve, reject) => {
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
            signal,
          },
          (response) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on("data", (chunk: Buffer) => {
              if (size < MAX_BODY) chunks.push(chunk);
              size += chunk.length;
            });
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY),
              }),
            );
            response.on("error", reject);
          },
        );
        request.on("error", reject);
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
