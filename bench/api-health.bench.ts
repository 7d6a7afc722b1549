/**
 * API throughput of GET /api/v1/health through the whole nines server (auth hook, metrics,
 * validation), next to a bare node:http server answering the same JSON, both driven by the same
 * keep-alive client with 32 connections on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/start-server.js";
import { figure, ratio } from "./support/figures.js";

const CONNECTIONS = 32;
const DURATION_MS = 4_000;

async function load(url: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      });
      req.on("error", reject);
      req.end();
    });
  const end = Date.now() + DURATION_MS;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        await get();
        done++;
      }
    }),
  );
  agent.destroy();
  return (done * 1000) / DURATION_MS;
}

const dir = mkdtempSync(join(tmpdir(), "nines-bench-"));
const base = defaultConfig();
const nines = await startServer({
  config: {
    ...base,
    server: { ...base.server, port: 0 },
    database: { ...base.database, sqlitePath: join(dir, "n.db") },
  },
  logger: createLogger({ level: "warn", pretty: false }),
});
const bare: Server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"status":"ok"}');
});
await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
const barePort = (bare.address() as { port: number }).port;

await load(`${nines.url}/api/v1/health`); // warm-up
const ninesRps = await load(`${nines.url}/api/v1/health`);
const bareRps = await load(`http://127.0.0.1:${barePort}/`);
figure("api GET /api/v1/health", ninesRps, "req/s", ratio(ninesRps, bareRps, "bare node:http"));
figure("bare node:http same JSON", bareRps, "req/s");

await nines.close();
bare.close();
rmSync(dir, { recursive: true, force: true });
