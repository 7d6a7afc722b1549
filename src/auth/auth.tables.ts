import type { Generated } from "kysely";

export type Scope = "read" | "write" | "admin";

export interface ApiTokensTable {
  id: string;
  name: string;
  scope: Scope;
  /** SHA-256 of the token's secret part, hex. The token itself is never stored. */
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the session cookie value, hex. */
  id_hash: string;
  token_id: string;
  created_at: number;
  expires_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  subject: string;
  details: string;
}

export interface AuthTables {
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
}
