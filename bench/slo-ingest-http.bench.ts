/**
 * Durable ingest over HTTP (target >= 500 k samples/s): POST /api/v1/sli/samples on the whole
 * nines server (SQLite, WAL, synchronous=FULL: a 200 means the batch is on disk), 1,000-sample
 * bodies over 16 keep-alive connections from a second process (bench/support/sample-load.ts),
 * against a bare node:http server that only parses the same bodies as JSON (the floor).
 * Run: npx tsx bench/slo-ingest-http.bench.ts
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { authStore } from "../src/auth/auth.store.js";
import { defaultConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/start-server.js";
import { makeSlo } from "../test/slo/support/slo-factory.js";
import { figure, ratio } from "./support/figures.js";

const CONNECTIONS = Number(process.env.NINES_BENCH_CONNECTIONS ?? 16);
const SLOS = 5_000;
const GROUPS = SLOS / 1000;

async function load(url: string, token: string, start: number, requests: number, first = 0) {
  const loader = pathToFileURL(
    join(import.meta.dirname, "..", "node_modules", "tsx", "dist", "loader.mjs"),
  ).href;
  const script = join(import.meta.dirname, "support", "sample-load.ts");
  const child = spawn(process.execPath, [
    "--import",
    loader,
    script,
    url,
    token,
    String(CONNECTIONS),
    String(SLOS),
    String(start),
    String(requests),
    String(first),
  ]);
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}: ${err.slice(0, 500)}`);
  const [rate, median] = out.trim().split(" ").map(Number);
  return { rate: rate!, medianMs: median! };
}

console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
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
const { store, runtime } = nines.domains.slo;
// The measured SLOs, then as many more that only warm the server up.
const slos = Array.from({ length: 2 * SLOS }, (_, i) => makeSlo({ id: `bench/slo-${i}` }));
for (let i = 0; i < slos.length; i += 500)
  await store.apply(
    slos.slice(i, i + 500).map((slo) => ({ slo, yaml: "", format: "nines" })),
    "bench",
  );
for (const slo of slos) await runtime.register(slo);
const token = (await authStore(nines.database.db).createToken("bench", "write")).token;

const bare: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { samples: unknown[] };
    const answer = `{"accepted":${body.samples.length},"unchanged":0}`;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
});
await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/`;

// Samples 10 s apart per SLO, within the last hour (in-order scrapes, the common case).
const start = Math.floor((Date.now() - 3_600_000 + 120_000) / 10_000) * 10_000;
const url = `${nines.url}/api/v1/sli/samples`;
const steps = 330;
// Warm-up on the other 5,000 SLOs, as many requests as are measured: the server's hot code is
// compiled and settled by then (a shorter warm-up left about 140 compilations to the measured run).
await load(url, token, start, GROUPS * steps, SLOS);
// Full (major) collections in the server during the measured run: each marks the whole heap.
let majorGcs = 0;
const gcs = new PerformanceObserver((list) => {
  for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[])
    if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
});
gcs.observe({ entryTypes: ["gc"] });
const ours = await load(url, token, start, GROUPS * steps);
gcs.disconnect();
const peer = await load(bareUrl, "-", start, GROUPS * steps);

const logged = await nines.database.db
  .selectFrom("sli_sample_batches")
  .select((eb) => eb.fn.sum<number>("samples").as("n"))
  .executeTakeFirstOrThrow();
const expected = 2 * GROUPS * steps * 1000;
figure(
  "durable ingest POST /api/v1/sli/samples (1,000-sample bodies, sqlite fsync)",
  ours.rate,
  "samples/s",
  ratio(ours.rate, peer.rate, "a bare node:http server that only parses the JSON"),
);
figure("  median ack per 1,000-sample request", ours.medianMs, "ms");
console.log(`  full garbage collections in the server during the run: ${majorGcs}`);
figure("bare node:http JSON.parse of the same bodies", peer.rate, "samples/s");
console.log(
  `samples in the log: ${Number(logged.n)} of ${expected} sent; target >= 500 k samples/s: ${ours.rate >= 500_000 ? "met" : "missed"}`,
);
await nines.close();
bare.close();
rmSync(dir, { recursive: true, force: true });
