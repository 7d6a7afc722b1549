import { NinesError } from "../errors/index.js";
import { CliUnreachableError } from "./errors.js";

export interface ApiClientOptions {
  /** Base URL of a running nines (`--url` or NINES_URL). */
  readonly url: string;
  /** API token (`--token` or NINES_TOKEN). */
  readonly token?: string | undefined;
  readonly timeoutMs?: number;
}

/**
 * The CLI's client for a running nines: JSON in and out, errors turned back into NinesError
 * with the server's code, so commands print the same message the API gave.
 */
export function apiClient(options: ApiClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { accept: "application/json" };
      if (body !== undefined) headers["content-type"] = "application/json";
      if (options.token) headers["authorization"] = `Bearer ${options.token}`;
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers,
          body: body === undefined ? null : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliUnreachableError(`cannot reach nines at ${base}: ${reason}`);
      }
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as unknown) : null;
      if (!response.ok) {
        const error = (parsed as { error?: { code: string; message: string; details: unknown } } | null)
          ?.error;
        throw new NinesError(
          error?.code ?? CliUnreachableError.code,
          response.status,
          error?.message ?? `${method} ${path} answered ${response.status}`,
          error?.details,
        );
      }
      return parsed as T;
    },
  };
}
