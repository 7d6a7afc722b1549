import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRemoteWrite } from "../../src/prometheus/remote-write/encode-write-request.js";
import { snappyEncode } from "../../src/prometheus/remote-write/snappy-encode.js";
import type { RemoteWriteSeries } from "../../src/prometheus/remote-write/write-request.js";
import { DIALECTS } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { availabilitySpec } from "./support/remote-write-specs.js";

const HEADERS = {
  "content-type": "application/x-protobuf",
  "content-encoding": "snappy",
  "x-prometheus-remote-write-version": "0.1.0",
};

function requests(code: string, points: [number, number][]): RemoteWriteSeries {
  return {
    labels: { __name__: "http_requests_total", code, instance: "a:1", job: "api" },
    samples: points.map(([timestampMs, value]) => ({ timestampMs, value })),
  };
}

for (const dialect of DIALECTS) {
  describe(`POST /api/v1/write (${dialect})`, () => {
    let t: TestApp;
    let write: string;
    beforeAll(async () => {
      t = await createTestApp({ server: { bodyLimit: 64 * 1024 } }, dialect);
      write = await t.token("write");
      const applied = await t.app.inject({
        method: "POST",
        url: "/api/v1/slos/apply",
        headers: { authorization: `Bearer ${write}` },
        payload: { files: [{ path: "api.yaml", text: availabilitySpec }] },
      });
      expect(applied.statusCode).toBe(200);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
    });

    const send = (payload: Buffer | Uint8Array | string, headers: Record<string, string> = HEADERS) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/write",
        headers: { authorization: `Bearer ${write}`, ...headers },
        payload: Buffer.from(payload),
      });

    it("stores matched counters as interval samples, so the SLO shows their SLI and budget", async () => {
      const start = Date.now() - 10 * 60_000;
      const ts = (i: number) => start + i * 15_000;
      const points = (perScrape: number) =>
        Array.from({ length: 21 }, (_, i) => [ts(i), 1000 + i * perScrape] as [number, number]);
      const body = encodeRemoteWrite({
        timeseries: [
          requests("200", points(99)),
          requests("500", points(1)),
          { labels: { __name__: "up", job: "api" }, samples: [{ timestampMs: ts(0), value: 1 }] },
        ],
      });
      const response = await send(body);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe("");

      const slo = (await t.app.inject({ url: "/api/v1/slos/api/availability" })).json();
      // 20 intervals of 100 requests with 1 failure: SLI 99%, a 2% budget half spent.
      expect(slo.summary.sli).toBeCloseTo(0.99, 10);
      expect(slo.summary.budgetRemaining).toBeCloseTo(0.5, 10);
      const metrics = (await t.app.inject({ url: "/metrics" })).body;
      expect(metrics).toContain('nines_remote_write_samples_total{result="stored"} 42');
      expect(metrics).toContain('nines_remote_write_samples_total{result="unmatched"} 1');

      // The same body again (a sender's retry after a lost response) adds nothing.
      expect((await send(body)).statusCode).toBe(204);
      const again = (await t.app.inject({ url: "/api/v1/slos/api/availability" })).json();
      expect(again.summary.budget).toEqual(slo.summary.budget);
      expect((await t.app.inject({ url: "/metrics" })).body).toContain(
        'nines_remote_write_samples_total{result="out_of_order"} 42',
      );
    });

    it("stores requests sent at the same time (one per shard) together, each counted once", async () => {
      const start = Date.now() - 4 * 60_000;
      const bodies = Array.from({ length: 4 }, (_, k) =>
        encodeRemoteWrite({
          timeseries: ["200", "500"].map((code) => ({
            labels: { __name__: "http_requests_total", code, instance: `c:${k}`, job: "api" },
            samples: [0, 1, 2, 3].map((j) => ({
              timestampMs: start + (k * 4 + j) * 15_000,
              value: k * 4 + j,
            })),
          })),
        }),
      );
      const metric = async (result: string) =>
        Number(
          new RegExp(`nines_remote_write_samples_total\\{result="${result}"\\} (\\d+)`).exec(
            (await t.app.inject({ url: "/metrics" })).body,
          )?.[1],
        );
      const stored = await metric("stored");
      const outOfOrder = await metric("out_of_order");
      const answers = await Promise.all(bodies.map((b) => send(b)));
      expect(answers.map((a) => a.statusCode)).toEqual([204, 204, 204, 204]);
      expect(await metric("stored")).toBe(stored + 32);
      const again = await Promise.all(bodies.map((b) => send(b)));
      expect(again.map((a) => a.statusCode)).toEqual([204, 204, 204, 204]);
      expect(await metric("stored")).toBe(stored + 32);
      expect(await metric("out_of_order")).toBe(outOfOrder + 32);
    });

    it("lists the selectors each SLO takes from remote write", async () => {
      const response = await t.app.inject({ url: "/api/v1/write/targets" });
      expect(response.json()).toEqual([
        {
          slo: "api/availability",
          accepts: true,
          events: "bad",
          eventsSelector: 'http_requests_total{code=~"5..",job="api"}',
          totalSelector: 'http_requests_total{job="api"}',
        },
      ]);
    });

    it("answers 400 naming the problem for corrupt or truncated snappy and protobuf bodies", async () => {
      const good = encodeRemoteWrite({ timeseries: [requests("200", [[Date.now(), 1]])] });
      const cases: [Uint8Array, string][] = [
        [good.subarray(0, good.length - 5), "NINES_ERR_REMOTEWRITE_SNAPPY"],
        [new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), "NINES_ERR_REMOTEWRITE_SNAPPY"],
        [snappyEncode(new Uint8Array([0x0a, 0x05, 0x0a, 0x03])), "NINES_ERR_REMOTEWRITE_PROTOBUF"],
        [snappyEncode(new TextEncoder().encode('{"timeseries":[]}')), "NINES_ERR_REMOTEWRITE_PROTOBUF"],
      ];
      for (const [body, code] of cases) {
        const response = await send(body);
        expect(response.statusCode, code).toBe(400);
        expect(response.json().error.code).toBe(code);
        expect(response.json().error.message.length).toBeGreaterThan(10);
      }
    });

    it("answers 415 for another content type, proto message or encoding, and 400 for another protocol version", async () => {
      const body = encodeRemoteWrite({ timeseries: [] });
      const cases: [Record<string, string>, number, RegExp][] = [
        [{ ...HEADERS, "content-type": "application/json" }, 415, /Content-Type/],
        [{ ...HEADERS, "content-type": "text/plain" }, 415, /.+/],
        [
          { ...HEADERS, "content-type": "application/x-protobuf;proto=io.prometheus.write.v2.Request" },
          415,
          /proto=io.prometheus.write.v2.Request/,
        ],
        [{ ...HEADERS, "content-encoding": "gzip" }, 415, /Content-Encoding/],
        [
          { ...HEADERS, "x-prometheus-remote-write-version": "2.0.0" },
          400,
          /X-Prometheus-Remote-Write-Version/,
        ],
      ];
      for (const [headers, status, message] of cases) {
        const payload = headers["content-type"] === "application/json" ? "{}" : body;
        const response = await send(payload, headers);
        expect(response.statusCode, JSON.stringify(headers)).toBe(status);
        expect(response.json().error.message).toMatch(message);
      }
      const { "x-prometheus-remote-write-version": _v, ...unversioned } = HEADERS;
      expect((await send(body, unversioned)).statusCode).toBe(204);
    });

    it("answers 413 for a body over the server's limit, and for a declared size over the decode limit", async () => {
      const big = new Uint8Array(70 * 1024).map((_, i) => (i * 7919) % 251);
      const response = await send(big);
      expect(response.statusCode).toBe(413);
      expect(response.json().error.code).toBe("NINES_ERR_REQUEST_TOO_LARGE");
      // A 10-byte body declaring 2 GiB of decompressed data.
      const bomb = await send(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]));
      expect(bomb.statusCode).toBe(413);
      expect(bomb.json().error.code).toBe("NINES_ERR_REMOTEWRITE_TOO_LARGE");
    });

    it("needs a write token", async () => {
      const body = encodeRemoteWrite({ timeseries: [] });
      const anonymous = await t.app.inject({
        method: "POST",
        url: "/api/v1/write",
        headers: HEADERS,
        payload: Buffer.from(body),
      });
      expect(anonymous.statusCode).toBe(401);
      const read = await t.token("read");
      const reader = await t.app.inject({
        method: "POST",
        url: "/api/v1/write",
        headers: { ...HEADERS, authorization: `Bearer ${read}` },
        payload: Buffer.from(body),
      });
      expect(reader.statusCode).toBe(403);
    });

    it("keeps protobuf bodies off other routes", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/sli/samples",
        headers: { ...HEADERS, authorization: `Bearer ${write}` },
        payload: Buffer.from(encodeRemoteWrite({ timeseries: [] })),
      });
      expect(response.statusCode).toBe(415);
    });
  });
}
