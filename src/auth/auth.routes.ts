import { randomBytes } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { SESSION_COOKIE } from "./auth.plugin.js";
import {
  CreatedTokenResponse,
  CreateTokenBody,
  SignInBody,
  TokenInfoSchema,
  WhoAmIResponse,
} from "./auth.schemas.js";
import type { AuthStore } from "./auth.store.js";
import { TooManyFailuresError, UnauthenticatedError } from "./errors.js";
import type { FailureLimiter } from "./failure-limiter.js";

export interface AuthRoutesOptions {
  readonly store: AuthStore;
  readonly limiter: FailureLimiter;
  readonly sessionTtlHours: number;
  readonly requireTokenForReads: boolean;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, options) => {
  const { store, limiter } = options;
  const ttlMs = options.sessionTtlHours * 3_600_000;

  app.post(
    "/api/v1/auth/session",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Sign in with an API token; sets an HttpOnly, SameSite=Strict session cookie.",
        body: SignInBody,
        response: { 200: WhoAmIResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const retryAfter = limiter.retryAfterSeconds(request.ip);
      if (retryAfter > 0) {
        throw new TooManyFailuresError(`too many failed sign-ins from ${request.ip}`, {
          retryAfterSeconds: retryAfter,
        });
      }
      const principal = await app.verifyToken(request.body.token);
      if (!principal) {
        limiter.recordFailure(request.ip);
        throw new UnauthenticatedError("the token is unknown, malformed or revoked");
      }
      const sessionId = randomBytes(32).toString("base64url");
      await store.createSession(sessionId, principal.tokenId, ttlMs);
      reply.setCookie(SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: "strict",
        secure: request.protocol === "https",
        path: "/",
        maxAge: ttlMs / 1000,
      });
      return {
        authenticated: true,
        name: principal.name,
        scope: principal.scope,
        via: "session" as const,
        requireTokenForReads: options.requireTokenForReads,
      };
    },
  );

  app.delete(
    "/api/v1/auth/session",
    {
      config: { access: "public" },
      schema: { tags: ["auth"], summary: "Sign out: ends the session.", response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await store.deleteSession(cookie);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/v1/auth/whoami",
    {
      schema: {
        tags: ["auth"],
        summary: "The caller's identity and scope.",
        response: { 200: WhoAmIResponse, ...errorResponses },
      },
    },
    async (request) => ({
      authenticated: request.principal !== undefined,
      ...(request.principal
        ? { name: request.principal.name, scope: request.principal.scope, via: request.principal.via }
        : {}),
      requireTokenForReads: options.requireTokenForReads,
    }),
  );

  app.get(
    "/api/v1/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["auth"],
        summary: "List API tokens (never their secrets).",
        response: { 200: Type.Array(TokenInfoSchema), ...errorResponses },
      },
    },
    async () => store.listTokens(),
  );

  app.post(
    "/api/v1/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["auth"],
        summary: "Create an API token; the response shows it once.",
        body: CreateTokenBody,
        response: { 201: CreatedTokenResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await store.createToken(request.body.name, request.body.scope)),
  );

  app.delete(
    "/api/v1/tokens/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: ["auth"],
        summary: "Revoke an API token and end its sessions.",
        params: Type.Object({ id: Type.String({ pattern: "^[0-9a-f]{16}$" }) }),
        response: { 200: TokenInfoSchema, ...errorResponses },
      },
    },
    async (request) => store.revokeToken(request.params.id),
  );
};
