import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { version } from "./package-info.js";

/**
 * The OpenAPI 3 document is generated from the route schemas (nothing hand-written) and served
 * at /api/openapi.json, with a rendered reference at /api/docs.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "nines API",
        version,
        description:
          "SLOs and error budgets, signals (page, ticket, log), incidents. Errors are " +
          '`{ "error": { "code", "message", "details" } }` with codes listed in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API token from `nines token create`." },
          session: { type: "apiKey", in: "cookie", name: "nines_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    uiConfig: { docExpansion: "list", deepLinking: true },
  });
  app.get("/api/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
