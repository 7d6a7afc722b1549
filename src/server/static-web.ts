import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { apiNotFound } from "./error-handler.js";
import { packageRoot } from "./package-info.js";

export const webRoot = join(packageRoot, "dist", "web");

/**
 * Serves the built single-page app from dist/web; any non-API path falls back to index.html so
 * that deep links (/slos/checkout/availability?range=7d) load the app.
 */
export async function registerWebUi(app: FastifyInstance): Promise<void> {
  const built = existsSync(join(webRoot, "index.html"));
  if (built) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (path.startsWith("/api/") || path === "/metrics" || request.method !== "GET")
      return apiNotFound(request, reply);
    if (!built) {
      return reply
        .status(503)
        .type("text/plain")
        .send("The nines web UI is not built. Run `npm run build` (npm install does it) and restart.");
    }
    return reply.type("text/html").sendFile("index.html");
  });
}
