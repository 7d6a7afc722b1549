import { authStore } from "../../src/auth/auth.store.js";
import type { Scope } from "../../src/auth/auth.tables.js";
import { ratioSpec } from "../support/specs.js";
import type { TestApp } from "../support/test-app.js";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface Caller {
  readonly name: string;
  readonly headers: { authorization: string };
}

/** A token with a chosen name (the principal name reviews and authorship are checked against). */
export async function caller(t: TestApp, name: string, scope: Scope): Promise<Caller> {
  const { token } = await authStore(t.database.handle.db).createToken(name, scope);
  return { name, headers: { authorization: `Bearer ${token}` } };
}

/** JSON API call through `app.inject`. */
export function api(t: TestApp) {
  return async (method: "GET" | "POST" | "PUT" | "PATCH", url: string, who?: Caller, payload?: unknown) => {
    const response = await t.app.inject({
      method,
      url,
      ...(who ? { headers: who.headers } : {}),
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
    const body = response.headers["content-type"]?.toString().includes("json")
      ? response.json()
      : response.body;
    return { status: response.statusCode, body };
  };
}

/** Applies a 99.9% ratio SLO and pushes per-5-minute samples with `errorRatio` bad events over `(from, to]`. */
export async function sloWithErrors(
  t: TestApp,
  who: Caller,
  options: { service?: string; name?: string; from: number; to: number; errorRatio: number },
): Promise<string> {
  const service = options.service ?? "checkout";
  const name = options.name ?? "availability";
  const applied = await t.app.inject({
    method: "POST",
    url: "/api/v1/slos/apply",
    headers: who.headers,
    payload: {
      files: [{ path: `${service}-${name}.yaml`, text: ratioSpec({ service, name, target: 99.9 }) }],
    },
  });
  if (applied.statusCode !== 200) throw new Error(`apply failed: ${applied.body}`);
  const step = 300_000;
  // A good baseline sample earlier on, so that the series has begun before the errors start (the
  // store attributes a series' very first sample to its own bucket only).
  const samples: unknown[] = [
    { slo: `${service}/${name}`, ts: options.from - 6 * HOUR, good: 1000, total: 1000 },
  ];
  for (let ts = options.to; ts > options.from; ts -= step) {
    const total = 1000;
    const bad = Math.round(total * options.errorRatio);
    samples.push({ slo: `${service}/${name}`, ts, good: total - bad, total });
  }
  const pushed = await t.app.inject({
    method: "POST",
    url: "/api/v1/sli/samples",
    headers: who.headers,
    payload: { samples },
  });
  if (pushed.statusCode !== 200) throw new Error(`push failed: ${pushed.body}`);
  await t.slo.runtime.follow();
  return `${service}/${name}`;
}
