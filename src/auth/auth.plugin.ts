import type { FastifyInstance, FastifyRequest } from "fastify";
import "../server/route-access.js";
import type { AuthStore } from "./auth.store.js";
import type { Scope } from "./auth.tables.js";
import { CsrfError, ForbiddenError, TooManyFailuresError, UnauthenticatedError } from "./errors.js";
import type { FailureLimiter } from "./failure-limiter.js";
import { parseToken, scopeAllows, secretMatches } from "./token.js";

export const SESSION_COOKIE = "nines_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const TOUCH_EVERY_MS = 60_000;

export interface AuthOptions {
  readonly store: AuthStore;
  readonly limiter: FailureLimiter;
  readonly requireTokenForReads: boolean;
}

type Principal = NonNullable<FastifyRequest["principal"]>;

/**
 * Authenticates every request by bearer token or session cookie and enforces the route's
 * access (see route-access.ts). Cookie-authenticated writes must come from this server's own
 * origin (CSRF defence on top of SameSite=Strict).
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  const lastTouched = new Map<string, number>();

  const verifyBearer = async (value: string): Promise<Principal | undefined> => {
    const parsed = parseToken(value);
    if (!parsed) return undefined;
    const token = await options.store.findActiveToken(parsed.id);
    if (!token || !secretMatches(parsed.secret, token.secretHash)) return undefined;
    const now = Date.now();
    if ((lastTouched.get(token.id) ?? 0) < now - TOUCH_EVERY_MS) {
      lastTouched.set(token.id, now);
      await options.store.touchToken(token.id, now);
    }
    return { tokenId: token.id, name: token.name, scope: token.scope, via: "bearer" };
  };

  const verifySession = async (value: string): Promise<Principal | undefined> => {
    const session = await options.store.findSession(value);
    return session
      ? { tokenId: session.tokenId, name: session.name, scope: session.scope, via: "session" }
      : undefined;
  };

  app.decorate("verifyToken", verifyBearer);

  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.url === undefined || !protectedPath(request.url)) return;
    const access =
      request.routeOptions.config.access ?? (SAFE_METHODS.has(request.method) ? "read" : "write");
    if (access === "public") return;

    const queryToken = request.routeOptions.config.queryToken
      ? (request.query as { token?: string }).token
      : undefined;
    const header = request.headers.authorization ?? (queryToken ? `Bearer ${queryToken}` : undefined);
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (header === undefined && cookie === undefined) {
      if (access === "read" && !options.requireTokenForReads) return;
      throw new UnauthenticatedError("authentication required: send `Authorization: Bearer <token>`");
    }

    const retryAfter = options.limiter.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      throw new TooManyFailuresError(`too many failed authentications from ${request.ip}`, {
        retryAfterSeconds: retryAfter,
      });
    }

    let principal: Principal | undefined;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      principal = match ? await verifyBearer(match[1]!) : undefined;
    } else if (cookie !== undefined) {
      principal = await verifySession(cookie);
    }
    if (!principal) {
      options.limiter.recordFailure(request.ip);
      throw new UnauthenticatedError(
        header !== undefined
          ? "the bearer token is unknown, malformed or revoked"
          : "the session has expired",
      );
    }
    if (principal.via === "session" && !SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
      throw new CsrfError("cross-site request refused: the Origin header does not match this server");
    }
    const required: Scope = access === "read" ? "read" : access;
    if (!scopeAllows(principal.scope, required)) {
      throw new ForbiddenError(
        `this request needs a token with scope "${required}"; this token has "${principal.scope}"`,
        {
          required,
          granted: principal.scope,
        },
      );
    }
    request.principal = principal;
  });
}

/** The API and /metrics carry data; the web UI's static files are public (they hold none). */
function protectedPath(url: string): boolean {
  return url.startsWith("/api/") || url === "/metrics" || url.startsWith("/metrics?");
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    verifyToken(token: string): Promise<FastifyRequest["principal"]>;
  }
}
