import type { Scope } from "../auth/auth.tables.js";

/**
 * Who may call a route: `public` needs no token; otherwise the least scope required.
 * Set it per route with `config: { access: "admin" }`; the default is `read` for GET/HEAD
 * (no token needed unless auth.requireTokenForReads) and `write` for everything else.
 */
export type RouteAccess = Scope | "public";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Also accept the token as `?token=` (for senders that cannot set headers); it is removed from logs. */
    queryToken?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller, when the request carried valid credentials. */
    principal?: { tokenId: string; name: string; scope: Scope; via: "bearer" | "session" };
  }
}
