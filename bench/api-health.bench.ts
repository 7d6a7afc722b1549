/**
 * API throughput of GET /api/v1/health through the whole nines server (auth hook, metrics,
 * validation), next to a bare node:http server answering the same JSON, both driven by the same
 * keep-alive client with 32 connections on 127.0.0.1, run in a separate process.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/start-server.js";
import { figure, ratio } from "./support/figures.js";

const CONNECTIONS = 32;
const DURATION_MS = 4_000;

/** Drives `url` from a separate process (bench/support/http-load.ts) and returns requests/s. */
async function load(url: string): Promise<number> {
  const loader = pathToFileURL(
    join(import.meta.dirname, "..", "node_modules", "tsx", "dist", "loader.mjs"),
  ).href;
  const script = join(import.meta.dirname, "support", "http-load.ts");
  const child = spawn(process.execPath, [
    "--import",
    loader,
    script,
    url,
    String(CONNECTIONS),
    String(DURATION_MS),
  ]);
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return Number(out.trim());
}

const dir = mkdtempSync(join(tmpdir(), "nines-bench-"));
const base = defaultConfig();
const nines = await startServer({
  config: {
    ...base,
    server: { ...base.server, port: 0 },
    database: { ...base.database, sqlitePath: join(dir, "n.db") },
  },
  logger: createLogger({ level: "error", pretty: false }),
});
const bare: Server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": 15 });
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
