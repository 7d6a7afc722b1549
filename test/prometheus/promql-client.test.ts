import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import { PrometheusBackends } from "../../src/slo/sources/prometheus-client.js";
import { freePort } from "../support/free-port.js";

interface Seen {
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly params: URLSearchParams;
}

/**
 * A fake Prometheus HTTP API that checks requests as the API documents them (POST with a
 * form-encoded body, `query` plus `time` or `start`/`end`/`step` in seconds) and answers what the
 * test scripts.
 */
describe("Prometheus API client", () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  let answer: (seen: Seen, res: ServerResponse) => void;

  const ok = (res: ServerResponse, value = "42") =>
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        status: "success",
        data: { resultType: "vector", result: [{ metric: {}, value: [1_700_000_000, value] }] },
      }),
    );

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        const s: Seen = { path: req.url ?? "", headers: req.headers, params: new URLSearchParams(body) };
        seen.push(s);
        const valid =
          req.method === "POST" &&
          req.headers["content-type"] === "application/x-www-form-urlencoded" &&
          s.params.has("query") &&
          (s.path.endsWith("/api/v1/query")
            ? /^\d+(\.\d+)?$/.test(s.params.get("time") ?? "")
            : ["start", "end", "step"].every((k) => /^\d+(\.\d+)?$/.test(s.params.get(k) ?? "")));
        if (!valid) {
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ status: "error", errorType: "bad_data", error: "malformed request" }));
          return;
        }
        answer(s, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/prom`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    seen.length = 0;
    answer = (_s, res) => ok(res);
  });

  const backends = (env: Record<string, string> = {}) => new PrometheusBackends({ env, backoffBaseMs: 5 });

  async function failure(p: Promise<unknown>) {
    try {
      await p;
    } catch (error) {
      if (isNinesError(error)) return { code: error.code, message: error.message, error };
      throw error;
    }
    throw new Error("expected a failure");
  }

  it("sends an instant query as a form POST with time and timeout in seconds", async () => {
    const v = await backends().instant({ url, timeoutMs: 2_500 }, "sum(up)", 1_700_000_000_500);
    expect([...v.points]).toEqual([[1_700_000_000_000, 42]]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe("/prom/api/v1/query");
    expect(Object.fromEntries(seen[0]!.params)).toEqual({
      query: "sum(up)",
      time: "1700000000.5",
      timeout: "2.5",
    });
  });

  it("sends a range query with start, end and step", async () => {
    await backends().range({ url }, "sum(up)", 1_700_000_060_000, 1_700_000_180_000, 60_000);
    expect(seen[0]!.path).toBe("/prom/api/v1/query_range");
    expect(seen[0]!.params.get("start")).toBe("1700000060");
    expect(seen[0]!.params.get("end")).toBe("1700000180");
    expect(seen[0]!.params.get("step")).toBe("60");
  });

  it("retries 503 with backoff and succeeds on the third attempt", async () => {
    answer = (_s, res) => (seen.length < 3 ? res.writeHead(503).end("Service Unavailable") : ok(res, "7"));
    const v = await backends().instant({ url }, "sum(up)", 1_700_000_000_000);
    expect([...v.points.values()]).toEqual([7]);
    expect(seen).toHaveLength(3);
  });

  it("gives up after three attempts with the backend's status in the message", async () => {
    answer = (_s, res) => res.writeHead(502).end("upstream down");
    const f = await failure(backends().instant({ url }, "sum(up)", 1_700_000_000_000));
    expect(f.code).toBe("NINES_ERR_PROMQL_UNAVAILABLE");
    expect(f.message).toMatch(/answered HTTP 502: upstream down/);
    expect(seen).toHaveLength(3);
  });

  it("does not retry a PromQL error: it shows the API's error type and message", async () => {
    answer = (_s, res) =>
      res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({
          status: "error",
          errorType: "bad_data",
          error: 'invalid parameter "query": 1:5: parse error: unexpected end of input',
        }),
      );
    const f = await failure(backends().instant({ url }, "sum(", 1_700_000_000_000));
    expect(f.code).toBe("NINES_ERR_PROMQL_QUERY_FAILED");
    expect(f.message).toBe(
      'PromQL bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input',
    );
    expect(seen).toHaveLength(1);
  });

  it("sends a bearer token read from the environment, and custom headers", async () => {
    await backends({ PROM_TOKEN: "s3cret-token" }).instant(
      { url, auth: { kind: "bearer", tokenEnv: "PROM_TOKEN" }, headers: { "X-Scope-OrgID": "team-a" } },
      "sum(up)",
      1_700_000_000_000,
    );
    expect(seen[0]!.headers.authorization).toBe("Bearer s3cret-token");
    expect(seen[0]!.headers["x-scope-orgid"]).toBe("team-a");
  });

  it("sends basic auth, and never puts the secret in an error", async () => {
    answer = (_s, res) => res.writeHead(401).end("Unauthorized");
    const f = await failure(
      backends({ PROM_PASSWORD: "pa55word" }).instant(
        { url, auth: { kind: "basic", username: "nines", passwordEnv: "PROM_PASSWORD" } },
        "sum(up)",
        1_700_000_000_000,
      ),
    );
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from("nines:pa55word").toString("base64")}`);
    expect(f.message).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify({ m: f.message, d: (f.error as { details?: unknown }).details })).not.toContain(
      "pa55word",
    );
  });

  it("sends nothing when the variable auth names is not set", async () => {
    const f = await failure(
      backends().instant(
        { url, auth: { kind: "bearer", tokenEnv: "NOT_SET_ANYWHERE" } },
        "sum(up)",
        1_700_000_000_000,
      ),
    );
    expect(f.code).toBe("NINES_ERR_PROMQL_CREDENTIALS_MISSING");
    expect(f.message).toBe(
      "the environment variable NOT_SET_ANYWHERE (auth.bearer) is not set on the nines server",
    );
    expect(seen).toHaveLength(0);
  });

  it("reports a backend nobody listens on as unreachable, with the connection error", async () => {
    const port = await freePort();
    const f = await failure(
      backends().instant({ url: `http://127.0.0.1:${port}` }, "sum(up)", 1_700_000_000_000),
    );
    expect(f.code).toBe("NINES_ERR_PROMQL_UNAVAILABLE");
    expect(f.message).toBe(`cannot reach http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("keeps the backend's own failure in view once the retry budget is spent and the breaker opens", async () => {
    const port = await freePort();
    const shared = backends();
    const endpoint = { url: `http://127.0.0.1:${port}` };
    const messages: string[] = [];
    for (let i = 0; i < 7; i++)
      messages.push((await failure(shared.instant(endpoint, "sum(up)", 1_700_000_000_000))).message);
    const refused = `cannot reach http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`;
    expect(messages.slice(0, 5)).toEqual(Array(5).fill(refused));
    expect(messages.slice(5)).toEqual(
      Array(2).fill(
        `http://127.0.0.1:${port} is not queried for a while after repeated failures; the last: ${refused}`,
      ),
    );
  });

  it("times out each attempt and retries it", async () => {
    answer = (_s, res) => {
      setTimeout(() => ok(res), 1_000).unref();
    };
    const f = await failure(backends().instant({ url, timeoutMs: 150 }, "sum(up)", 1_700_000_000_000));
    expect(f.code).toBe("NINES_ERR_PROMQL_UNAVAILABLE");
    expect(f.message).toMatch(/timed out after 150 ms/);
    expect(seen).toHaveLength(3);
  });
});
