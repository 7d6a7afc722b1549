/**
 * Remote-write ingest over HTTP on 127.0.0.1: a real nines server (SQLite, synchronous=FULL)
 * receiving snappy/protobuf bodies of 2,000 samples (500 series × 4 scrapes) from 4 keep-alive
 * connections in a separate process, each owning a quarter of the series like a Prometheus shard. Two workloads:
 *   - matched: 100 SLOs × 20 series (10 instances × 200/500): every sample decoded, matched to
 *     its SLO, turned into an increment and stored (100 interval samples per request: 25 SLOs × 4 scrapes, durable
 *     before the 204);
 *   - unmatched: the same bodies with another job label: decoded, matched against nothing, dropped.
 * Peer: a bare node:http receiver in the same server process that only decodes each body and
 * answers 204 (the ceiling for HTTP + decoding on this machine).
 * Run: npx tsx bench/remote-write-http.bench.ts   (NINES_BENCH_MS overrides 4,000 ms per run)
 */
import { spawn } from "node:child_process";
import { Agent, createServer, request } from "node:http";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { decodeRemoteWrite } from "../src/prometheus/remote-write/decode-write-request.js";
import { encodeRemoteWrite } from "../src/prometheus/remote-write/encode-write-request.js";
import { startLiveServer } from "../test/support/live-server.js";
import { figure, ratio } from "./support/figures.js";

const SLOS = 100;
const INSTANCES = 10;
const CONNECTIONS = 4;
const DURATION_MS = Number(process.env["NINES_BENCH_MS"] ?? 4000);
const BODIES = 1200;

const SCRAPES_PER_BODY = 4;
const SAMPLES_PER_BODY = (SLOS / CONNECTIONS) * INSTANCES * 2 * SCRAPES_PER_BODY;

/**
 * The bodies one connection sends, in order: like a Prometheus shard it owns a fixed share of
 * the series (the SLOs s with s % CONNECTIONS = shard), 4 scrapes one second apart per body.
 */
function bodies(job: string, shard: number, count: number): Buffer[] {
  const start = Date.now() - count * SCRAPES_PER_BODY * 1000;
  const out: Buffer[] = [];
  for (let k = 0; k < count; k++) {
    const timeseries = [];
    for (let s = shard; s < SLOS; s += CONNECTIONS) {
      for (let i = 0; i < INSTANCES; i++) {
        for (const code of ["200", "500"]) {
          const samples = Array.from({ length: SCRAPES_PER_BODY }, (_, j) => {
            const scrape = k * SCRAPES_PER_BODY + j;
            return { timestampMs: start + scrape * 1000, value: code === "500" ? scrape : scrape * 99 };
          });
          timeseries.push({
            labels: {
              __name__: "http_requests_total",
              code,
              instance: `10.0.${s}.${i}:9090`,
              job,
              service: `svc-${s}`,
            },
            samples,
          });
        }
      }
    }
    out.push(Buffer.from(encodeRemoteWrite({ timeseries })));
  }
  return out;
}

// ---- load generator (child process) -----------------------------------------------------------
if (process.argv[2] === "--load") {
  const [url, token, job, count] = process.argv.slice(3);
  const shards = Array.from({ length: CONNECTIONS }, (_, shard) =>
    bodies(job!, shard, Number(count) / CONNECTIONS),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const post = (body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        url!,
        {
          method: "POST",
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/x-protobuf",
            "content-encoding": "snappy",
            "x-prometheus-remote-write-version": "0.1.0",
            "content-length": body.length,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 204 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  // Each connection sends its own series' scrapes in order, as a Prometheus shard does.
  let done = 0;
  const started = Date.now();
  const end = started + DURATION_MS;
  await Promise.all(
    shards.map(async (payloads) => {
      for (const body of payloads) {
        if (Date.now() >= end) break;
        await post(body);
        done++;
      }
    }),
  );
  agent.destroy();
  process.stdout.write(`${(done * SAMPLES_PER_BODY * 1000) / (Date.now() - started)}\n`);
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const loader = pathToFileURL(join(self, "..", "..", "node_modules", "tsx", "dist", "loader.mjs")).href;

function load(url: string, token: string, job: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", loader, self, "--load", url, token, job, String(BODIES)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`load exited ${code}`)),
    );
  });
}

const spec = (s: number) =>
  [
    "apiVersion: nines/v1",
    "kind: SLO",
    "metadata:",
    "  name: availability",
    "spec:",
    `  service: svc-${s}`,
    "  sli:",
    "    ratio:",
    "      count: bad",
    "  objective:",
    "    target: 99.9",
    "  window:",
    "    rolling: 30d",
    "  source:",
    "    prometheus:",
    "      url: http://127.0.0.1:9090",
    `      eventsQuery: sum(increase(http_requests_total{service="svc-${s}",code=~"5.."}[{{window}}]))`,
    `      totalQuery: sum(increase(http_requests_total{service="svc-${s}"}[{{window}}]))`,
    "      selector: '{job=\"api\"}'",
    "",
  ].join("\n");

const live = await startLiveServer();
try {
  const token = await live.token("write", "bench");
  const applied = await fetch(`${live.url}/api/v1/slos/apply`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      files: Array.from({ length: SLOS }, (_, s) => ({ path: `svc-${s}.yaml`, text: spec(s) })),
    }),
  });
  if (applied.status !== 200) throw new Error(`apply failed: ${await applied.text()}`);

  const matched = await load(`${live.url}/api/v1/write`, token, "api");
  const unmatched = await load(`${live.url}/api/v1/write`, token, "batch");
  const stored = await (await fetch(`${live.url}/metrics`)).text();
  console.log(
    stored
      .split("\n")
      .filter((l) => l.startsWith("nines_remote_write_samples_total"))
      .join("\n"),
  );

  // Peer: decode only, in this process (where the nines server runs too, idle meanwhile).
  const bare = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      decodeRemoteWrite(new Uint8Array(Buffer.concat(chunks)));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const address = bare.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const peer = await load(`http://127.0.0.1:${port}/`, token, "api");
  await new Promise((resolve) => bare.close(resolve));

  figure(
    "remote-write ingest over HTTP, matched and stored",
    matched,
    "samples/s",
    `${ratio(matched, peer, "decode-only receiver")} (target ≥ 500,000)`,
  );
  figure(
    "remote-write ingest over HTTP, unmatched and dropped",
    unmatched,
    "samples/s",
    ratio(unmatched, peer, "decode-only receiver"),
  );
  figure("decode-only receiver (peer)", peer, "samples/s");
} finally {
  await live.close();
}
