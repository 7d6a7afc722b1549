import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Scope } from "./auth.tables.js";

const TOKEN_PATTERN = /^nines_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  readonly id: string;
  /** Shown once to the user, never stored. */
  readonly token: string;
  readonly secretHash: string;
}

/** A token is `nines_<id>_<secret>`: the id finds the row, the 256-bit secret proves possession. */
export function generateToken(): NewToken {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `nines_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseToken(token: string): { id: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(sha256Hex(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

/** admin ⊃ write ⊃ read. */
export function scopeAllows(granted: Scope, required: Scope): boolean {
  return RANK[granted] >= RANK[required];
}

export const SCOPES: readonly Scope[] = ["read", "write", "admin"];
