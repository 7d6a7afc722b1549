import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { ApiTokensTable, Scope } from "./auth.tables.js";
import { TokenNotFoundError } from "./errors.js";
import { generateToken, sha256Hex } from "./token.js";

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scope: Scope;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

const toInfo = (row: ApiTokensTable): TokenInfo => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/**
 * How long an active token read from the database is trusted without reading it again: a client
 * sending thousands of requests a second (SLI samples, remote write) then costs no query per
 * request. A token revoked through the same store stops working at once; one revoked elsewhere
 * (another replica, `nines token revoke`) within this time.
 */
export const TOKEN_CACHE_MS = 5_000;
/** Most tokens kept (the cache is emptied when full). */
const TOKEN_CACHE_SIZE = 10_000;

type ActiveToken = TokenInfo & { readonly secretHash: string };

/** API tokens and web sessions. Tokens are stored as SHA-256 hashes of their secret only. */
export function authStore(db: Kysely<Database>) {
  const active = new Map<string, { readonly token: ActiveToken; readonly until: number }>();
  return {
    async createToken(
      name: string,
      scope: Scope,
      now = Date.now(),
    ): Promise<{ token: string; info: TokenInfo }> {
      const generated = generateToken();
      const row: ApiTokensTable = {
        id: generated.id,
        name,
        scope,
        secret_hash: generated.secretHash,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("api_tokens").values(row).execute();
        await trx
          .insertInto("audit_log")
          .values({
            at: now,
            actor: "system",
            action: "token.create",
            subject: row.id,
            details: JSON.stringify({ name, scope }),
          })
          .execute();
      });
      return { token: generated.token, info: toInfo(row) };
    },

    /** Inserts a token whose secret the operator chose (NINES_ADMIN_TOKEN), if it is not there yet. */
    async ensureToken(
      id: string,
      secret: string,
      name: string,
      scope: Scope,
      now = Date.now(),
    ): Promise<boolean> {
      const existing = await db.selectFrom("api_tokens").select("id").where("id", "=", id).executeTakeFirst();
      if (existing) return false;
      await db
        .insertInto("api_tokens")
        .values({
          id,
          name,
          scope,
          secret_hash: sha256Hex(secret),
          created_at: now,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      return true;
    },

    async findActiveToken(id: string, now = Date.now()): Promise<ActiveToken | undefined> {
      const cached = active.get(id);
      if (cached !== undefined && cached.until > now) return cached.token;
      const row = await db
        .selectFrom("api_tokens")
        .selectAll()
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      if (!row) {
        active.delete(id);
        return undefined;
      }
      const token = { ...toInfo(row), secretHash: row.secret_hash };
      if (active.size >= TOKEN_CACHE_SIZE) active.clear();
      active.set(id, { token, until: now + TOKEN_CACHE_MS });
      return token;
    },

    async touchToken(id: string, now = Date.now()): Promise<void> {
      await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", id).execute();
    },

    async listTokens(): Promise<TokenInfo[]> {
      const rows = await db
        .selectFrom("api_tokens")
        .selectAll()
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toInfo);
    },

    async revokeToken(id: string, now = Date.now()): Promise<TokenInfo> {
      const revoked = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable("api_tokens")
          .set({ revoked_at: now })
          .where("id", "=", id)
          .where("revoked_at", "is", null)
          .returningAll()
          .executeTakeFirst();
        if (!updated) throw new TokenNotFoundError(`no active token with id ${id}`, { id });
        await trx.deleteFrom("sessions").where("token_id", "=", id).execute();
        await trx
          .insertInto("audit_log")
          .values({ at: now, actor: "system", action: "token.revoke", subject: id, details: "{}" })
          .execute();
        return toInfo(updated);
      });
      active.delete(id);
      return revoked;
    },

    async countAdminTokens(): Promise<number> {
      const row = await db
        .selectFrom("api_tokens")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("scope", "=", "admin")
        .where("revoked_at", "is", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async createSession(sessionId: string, tokenId: string, ttlMs: number, now = Date.now()): Promise<void> {
      await db.deleteFrom("sessions").where("expires_at", "<", now).execute();
      await db
        .insertInto("sessions")
        .values({
          id_hash: sha256Hex(sessionId),
          token_id: tokenId,
          created_at: now,
          expires_at: now + ttlMs,
        })
        .execute();
    },

    async findSession(sessionId: string, now = Date.now()) {
      return db
        .selectFrom("sessions")
        .innerJoin("api_tokens", "api_tokens.id", "sessions.token_id")
        .select(["api_tokens.id as tokenId", "api_tokens.name as name", "api_tokens.scope as scope"])
        .where("sessions.id_hash", "=", sha256Hex(sessionId))
        .where("sessions.expires_at", ">", now)
        .where("api_tokens.revoked_at", "is", null)
        .executeTakeFirst();
    },

    async deleteSession(sessionId: string): Promise<void> {
      await db.deleteFrom("sessions").where("id_hash", "=", sha256Hex(sessionId)).execute();
    },
  };
}

export type AuthStore = ReturnType<typeof authStore>;
