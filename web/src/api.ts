import type { WhoAmIResponse } from "../../src/auth/auth.schemas.js";
import type { ReadyResponse, VersionResponse } from "../../src/server/system.schemas.js";

export type { ReadyResponse, VersionResponse, WhoAmIResponse };

/** An API failure with the server's stable code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's `details`, e.g. `[{ path: "config.url", message }]` for a field error. */
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** JSON request to the nines API, authenticated by the session cookie. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? { accept: "application/json" } : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? "HTTP",
      error.message ?? `${method} ${path}: ${response.status}`,
      error.details ?? null,
    );
  }
  return data as T;
}
