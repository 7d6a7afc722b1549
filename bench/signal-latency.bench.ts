/**
 * Signal → receiver latency at a steady 100 signals/s (target: p99 ≤ 1 s), on SQLite and on
 * PostgreSQL. nines runs as a child `nines serve` process (so the load generator and the
 * receiver do not share its event loop); this process sends one signal every 10 ms to
 * `POST /api/v1/signals` on a fixed schedule, each with its own `probe` label, and runs the
 * webhook receiver that timestamps arrivals. The routing config pages on the probes, one group
 * per probe (`groupBy: [probe]`, `groupWait: 0s`), to a webhook receiver on 127.0.0.1.
 *
 * Each engine runs twice: with the default intervals (`signals.groupingIntervalMs` 1000,
 * `notifications.pollIntervalMs` 200) and with a latency profile (200 / 50). Besides end to end,
 * the latency is split into sent → stored (the answer to the POST: the ingest transaction),
 * stored → queued (the notification's `createdAt`: waiting for the leader's grouping tick) and
 * queued → arrival (the outbox worker's poll and the webhook POST).
 * The peer is a bare HTTP POST from this process to the same receiver at the same rate.
 * Run: npm run bench signal-latency   (BENCH_LATENCY_SECONDS=30 sets the seconds per run)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { generateToken } from "../src/auth/token.js";
import { startPostgresCluster } from "../test/support/postgres-cluster.js";
import { figure, ratio } from "./support/figures.js";

const RATE = 100;
const SECONDS = Number(process.env["BENCH_LATENCY_SECONDS"] ?? 30);
const TARGET_MS = 1_000;
const RECEIVER = "latency-hook";
const DRAIN_MS = 10_000;

interface Profile {
  readonly name: string;
  readonly groupingIntervalMs: number;
  readonly pollIntervalMs: number;
}
const PROFILES: readonly Profile[] = [
  { name: "defaults", groupingIntervalMs: 1_000, pollIntervalMs: 200 },
  { name: "latency profile", groupingIntervalMs: 200, pollIntervalMs: 50 },
];

// ---- the webhook receiver --------------------------------------------------------------------
interface Arrival {
  readonly at: number; // performance.now()
  readonly epoch: number;
  readonly notificationId: number | undefined;
}
const arrivals = new Map<string, Arrival>();
let duplicates = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const at = performance.now();
    const epoch = Date.now();
    res.writeHead(200);
    res.end();
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        id?: number;
        message?: { event?: string; labels?: Record<string, string> };
      };
      const probe = body.message?.labels?.["probe"];
      if (probe === undefined || body.message?.event !== "trigger") return;
      if (arrivals.has(probe)) duplicates++;
      else arrivals.set(probe, { at, epoch, notificationId: body.id });
    } catch {
      // not one of ours
    }
  });
});
receiver.keepAliveTimeout = 60_000;
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

// ---- helpers ---------------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s.at(-1) ?? Number.NaN,
  };
};
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** User + system CPU milliseconds of a process so far (Linux /proc; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Sends `count` items on a fixed schedule of RATE per second (a late send does not delay the
 * ones after it: no coordinated omission) and resolves when every send has been answered.
 */
async function steady(count: number, send: (i: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(send(i));
  }
  await Promise.all(pending);
}

// ---- the peer: a bare POST to the same receiver ----------------------------------------------
async function peerLatency(): Promise<ReturnType<typeof summary>> {
  const count = RATE * 5;
  const sentAt = new Map<string, number>();
  await steady(count, async (i) => {
    const probe = `peer-${i}`;
    sentAt.set(probe, performance.now());
    const status = await post(
      receiverUrl,
      JSON.stringify({ id: i, message: { event: "trigger", labels: { probe } } }),
    );
    if (status !== 200) throw new Error(`receiver answered ${status}`);
  });
  const latencies = [...sentAt].map(([probe, at]) => (arrivals.get(probe)?.at ?? Number.NaN) - at);
  return summary(latencies.slice(RATE)); // the first second warms up
}

// ---- nines as a child process ----------------------------------------------------------------
interface Nines {
  readonly url: string;
  readonly child: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}

async function startNines(
  dir: string,
  database: Record<string, unknown>,
  profile: Profile,
  adminToken: string,
): Promise<Nines> {
  const configPath = join(dir, "nines.yaml");
  // JSON is YAML.
  writeFileSync(
    configPath,
    JSON.stringify({
      server: { host: "127.0.0.1", port: 0 },
      database,
      signals: { groupingIntervalMs: profile.groupingIntervalMs },
      notifications: { allowedHosts: ["127.0.0.1"], pollIntervalMs: profile.pollIntervalMs },
    }),
  );
  const loader = pathToFileURL(
    join(import.meta.dirname, "..", "node_modules", "tsx", "dist", "loader.mjs"),
  ).href;
  const cli = join(import.meta.dirname, "..", "src", "cli", "run.ts");
  const child = spawn(
    process.execPath,
    ["--import", loader, cli, "serve", "--log-level", "warn", "--log-format", "json"],
    {
      env: { ...process.env, NINES_CONFIG: configPath, NINES_ADMIN_TOKEN: adminToken },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stderr?.on("data", (c: Buffer) => {
    err = (err + c.toString()).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nines did not start:\n${out}\n${err}`)), 60_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const match = /nines is running at (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nines exited with ${code}:\n${out}\n${err}`));
    });
  });
  return {
    url,
    child,
    logs: () => err,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

interface RunResult {
  readonly sent: number;
  readonly delivered: number;
  readonly endToEnd: ReturnType<typeof summary>;
  readonly grouping: ReturnType<typeof summary>;
  readonly outbox: ReturnType<typeof summary>;
  readonly ingest: ReturnType<typeof summary>;
  /** CPU time of the nines process per wall-clock time while sending (1 = one core). */
  readonly serverCpu: number;
}

async function run(nines: Nines, token: string, runId: string): Promise<RunResult> {
  const auth = { authorization: `Bearer ${token}` };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${nines.url}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  };
  await api("POST", "/api/v1/receivers", { name: RECEIVER, type: "webhook", config: { url: receiverUrl } });
  await api("PUT", "/api/v1/routing", {
    route: {
      name: "default",
      classify: "log",
      routes: [
        {
          name: "latency-probes",
          matchers: ['source="bench"', 'alertname="LatencyProbe"'],
          classify: "page",
          receiver: RECEIVER,
          groupBy: ["probe"],
          groupWait: "0s",
          groupInterval: "5m",
          repeatInterval: "4h",
        },
      ],
    },
  });

  const send = async (probe: string) => {
    const body = JSON.stringify({
      source: "bench",
      service: "latency",
      title: "LatencyProbe",
      severity: "critical",
      labels: { probe },
      fingerprint: `latency:${probe}`,
    });
    const status = await post(`${nines.url}/api/v1/signals`, body, auth);
    if (status !== 200) throw new Error(`POST /api/v1/signals answered ${status}`);
  };
  const waitFor = async (probes: readonly string[], untilMs: number) => {
    while (performance.now() < untilMs && probes.some((p) => !arrivals.has(p))) await sleep(50);
  };

  // Warm-up: five seconds of probes, not counted.
  const warm = Array.from({ length: RATE * 5 }, (_, i) => `${runId}-warm-${i}`);
  await steady(warm.length, (i) => send(warm[i] as string));
  await waitFor(warm, performance.now() + DRAIN_MS);

  const count = RATE * SECONDS;
  const probes = Array.from({ length: count }, (_, i) => `${runId}-${i}`);
  const sentAt = new Map<string, { at: number; answered: number; answeredEpoch: number }>();
  const cpuBefore = cpuMs(nines.child.pid);
  const started = performance.now();
  await steady(count, async (i) => {
    const probe = probes[i] as string;
    const entry = { at: performance.now(), answered: 0, answeredEpoch: 0 };
    sentAt.set(probe, entry);
    await send(probe);
    entry.answered = performance.now();
    entry.answeredEpoch = Date.now();
  });
  // Server CPU over the sending window (the drain afterwards is idle).
  const serverCpu = (cpuMs(nines.child.pid) - cpuBefore) / (performance.now() - started);
  await waitFor(probes, performance.now() + DRAIN_MS);

  // When each notification was queued, from the notifications API.
  const queuedAt = new Map<number, number>();
  let before: number | undefined;
  for (;;) {
    const page = (await api(
      "GET",
      `/api/v1/notifications?receiver=${RECEIVER}&limit=1000${before === undefined ? "" : `&before=${before}`}`,
    )) as { id: number; createdAt: number }[];
    const items = page;
    for (const n of items) queuedAt.set(n.id, n.createdAt);
    if (items.length < 1000) break;
    before = Math.min(...items.map((n) => n.id));
  }

  const endToEnd: number[] = [];
  const grouping: number[] = [];
  const outbox: number[] = [];
  const ingest: number[] = [];
  let delivered = 0;
  for (const probe of probes) {
    const sent = sentAt.get(probe);
    const arrival = arrivals.get(probe);
    if (!sent) continue;
    ingest.push(sent.answered - sent.at);
    if (!arrival) continue;
    delivered++;
    endToEnd.push(arrival.at - sent.at);
    const queued = arrival.notificationId === undefined ? undefined : queuedAt.get(arrival.notificationId);
    if (queued !== undefined) {
      grouping.push(queued - sent.answeredEpoch);
      outbox.push(arrival.epoch - queued);
    }
  }
  return {
    sent: count,
    delivered,
    endToEnd: summary(endToEnd),
    grouping: summary(grouping),
    outbox: summary(outbox),
    ingest: summary(ingest),
    serverCpu,
  };
}

function report(engine: string, profile: Profile, r: RunResult, peer: ReturnType<typeof summary>): void {
  const label = `${engine}, ${profile.name} (grouping ${profile.groupingIntervalMs} ms, poll ${profile.pollIntervalMs} ms)`;
  const e = r.endToEnd;
  process.stdout.write(
    `${label}: ${r.delivered} of ${r.sent} delivered${duplicates ? `, ${duplicates} duplicates so far` : ""}\n`,
  );
  process.stdout.write(
    `  signal → receiver p50 ${ms(e.p50)}  p95 ${ms(e.p95)}  p99 ${ms(e.p99)}  max ${ms(e.max)}\n` +
      `    sent → stored (POST /api/v1/signals answered)  p50 ${ms(r.ingest.p50)}  p99 ${ms(r.ingest.p99)}  max ${ms(r.ingest.max)}\n` +
      `    stored → queued (grouping tick)                p50 ${ms(r.grouping.p50)}  p99 ${ms(r.grouping.p99)}  max ${ms(r.grouping.max)}\n` +
      `    queued → receiver (outbox worker + POST)       p50 ${ms(r.outbox.p50)}  p99 ${ms(r.outbox.p99)}  max ${ms(r.outbox.max)}\n` +
      `  nines process CPU while sending: ${(r.serverCpu * 100).toFixed(0)}% of one core; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores\n`,
  );
  figure(
    `${engine} ${profile.name}: signal → receiver p99 at ${RATE} signals/s`,
    e.p99,
    "ms",
    `${ratio(e.p99, TARGET_MS, "the 1 s target", false)} ${ratio(e.p99, peer.p99, "bare POST p99", false)} ${e.p99 <= TARGET_MS && r.delivered === r.sent ? "MEETS" : "MISSES"} p99 ≤ 1 s`,
  );
}

// ---- main ------------------------------------------------------------------------------------
const peer = await peerLatency();
process.stdout.write(
  `peer: bare HTTP POST to the same receiver at ${RATE}/s: p50 ${ms(peer.p50)}  p95 ${ms(peer.p95)}  p99 ${ms(peer.p99)}  max ${ms(peer.max)}\n`,
);
process.stdout.write(`${SECONDS} s at ${RATE} signals/s per run, one page and one group per signal\n`);

const dir = mkdtempSync(join(tmpdir(), "nines-bench-latency-"));
let cluster: Awaited<ReturnType<typeof startPostgresCluster>>;
try {
  for (const [p, profile] of PROFILES.entries()) {
    const admin = generateToken().token;
    const nines = await startNines(dir, { sqlitePath: join(dir, `sqlite-${p}.db`) }, profile, admin);
    try {
      report("sqlite", profile, await run(nines, admin, `sqlite-${p}`), peer);
    } catch (error) {
      process.stderr.write(nines.logs());
      throw error;
    } finally {
      await nines.stop();
    }
  }

  cluster = await startPostgresCluster();
  if (!cluster) {
    process.stdout.write(
      "postgres: SKIPPED (PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb)\n",
    );
  } else {
    process.stdout.write(
      "postgres: a throwaway cluster with fsync=off (as in the tests); SQLite above commits with synchronous=FULL\n",
    );
    for (const [p, profile] of PROFILES.entries()) {
      const name = `latency_${p}`;
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = cluster.url.replace(/\/postgres$/, `/${name}`);
      const token = generateToken().token;
      const nines = await startNines(dir, { url }, profile, token);
      try {
        report("postgres", profile, await run(nines, token, `postgres-${p}`), peer);
      } catch (error) {
        process.stderr.write(nines.logs());
        throw error;
      } finally {
        await nines.stop();
      }
    }
  }
} finally {
  cluster?.stop();
  agent.destroy();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
