import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRemoteWrite } from "../../src/prometheus/remote-write/decode-write-request.js";
import { matchesSelector, parseSeriesSelector } from "../../src/prometheus/remote-write/series-selector.js";
import type { RemoteWriteSeries } from "../../src/prometheus/remote-write/write-request.js";
import { freePort } from "../support/free-port.js";
import { toolAvailable } from "../support/system-tools.js";

const PROMETHEUS = "/usr/bin/prometheus";

describe.skipIf(!toolAvailable("prometheus"))("remote-write bodies sent by a real Prometheus", () => {
  const dir = mkdtempSync(join(tmpdir(), "nines-prom-"));
  const series: RemoteWriteSeries[] = [];
  const headers: Record<string, string | string[] | undefined>[] = [];
  const failures: unknown[] = [];
  let server: Server;
  let prometheus: ChildProcess | undefined;
  let logs = "";

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS))
      throw new Error(`${PROMETHEUS} is not installed; this test needs the real binary`);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        headers.push(req.headers);
        try {
          series.push(...decodeRemoteWrite(new Uint8Array(Buffer.concat(chunks))).timeseries);
          res.writeHead(204).end();
        } catch (error) {
          failures.push(error);
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const hookPort = typeof address === "object" && address !== null ? address.port : 0;
    const promPort = await freePort();
    writeFileSync(
      join(dir, "prometheus.yml"),
      [
        "global:",
        "  scrape_interval: 1s",
        "scrape_configs:",
        "  - job_name: self",
        "    static_configs:",
        `      - targets: ["127.0.0.1:${promPort}"]`,
        "remote_write:",
        `  - url: "http://127.0.0.1:${hookPort}/write"`,
        "    queue_config:",
        "      batch_send_deadline: 1s",
        "",
      ].join("\n"),
    );
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    prometheus.stdout?.on("data", (c: Buffer) => {
      logs += c.toString();
    });
    prometheus.stderr?.on("data", (c: Buffer) => {
      logs += c.toString();
    });
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once("exit", resolve));
      prometheus.kill("SIGTERM");
      await exited;
    }
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes Prometheus\' own snappy/protobuf bodies and finds up{job="self"} = 1 with a selector', async () => {
    const up = parseSeriesSelector('up{job="self"}');
    const deadline = Date.now() + 60_000;
    while (!series.some((s) => matchesSelector(up, s.labels)) && failures.length === 0) {
      if (Date.now() > deadline || prometheus?.exitCode !== null) {
        throw new Error(`no up series received (${series.length} series so far)\n${logs.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(failures).toEqual([]);
    expect(headers[0]?.["content-encoding"]).toBe("snappy");
    expect(headers[0]?.["content-type"]).toBe("application/x-protobuf");
    const match = series.find((s) => matchesSelector(up, s.labels));
    expect(match?.labels).toMatchObject({
      __name__: "up",
      job: "self",
      instance: expect.stringMatching(/^127\.0\.0\.1:/),
    });
    expect(match?.samples[0]?.value).toBe(1);
    expect(Math.abs((match?.samples[0]?.timestampMs ?? 0) - Date.now())).toBeLessThan(120_000);
    expect(series.length).toBeGreaterThan(50);
  }, 90_000);
});
