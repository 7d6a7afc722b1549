/**
 * Signal classification + grouping (target >= 20 k signals/s) in process: `stepGrouping` over
 * batches of 1,000 signals from 200 services against a 24-route tree with regexes, next to a naive
 * peer in the same process (each route's matchers re-parsed and regexes re-compiled for every
 * signal, groups found by linear scan, the whole state deep-copied as JSON each step).
 * Then the whole path through `POST /api/v1/signals` on SQLite (WAL, synchronous=FULL: a 200
 * means the signals, their pages/tickets/log lines and receipts are on disk), 100-signal
 * bodies over 4 keep-alive connections, against a bare node:http server that only parses the
 * same bodies as JSON (the floor).
 * Run: npm run bench signals
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authStore } from "../src/auth/auth.store.js";
import { defaultConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/start-server.js";
import { EMPTY_GROUPING_STATE, type GroupingState, stepGrouping } from "../src/signals/grouping.js";
import { parseMatcher } from "../src/signals/matcher.js";
import { parseRoutingConfig, type Route } from "../src/signals/routing-config.js";
import type { RoutingConfigInput } from "../src/signals/routing-schema.js";
import { type Signal, signalLabels } from "../src/signals/signal.js";
import { figure, ratio } from "./support/figures.js";

const SERVICES = 200;
const ALERTS = ["HighLatency", "ErrorRate", "DiskFull", "Saturation", "CertExpiry", "PodRestarts"];
const SEVERITIES = ["critical", "warning", "info", "page", "ticket"];

const ROUTING: RoutingConfigInput = {
  route: {
    name: "default",
    classify: "log",
    receiver: "ops",
    groupBy: ["alertname", "service"],
    routes: [
      { name: "slo-page", matchers: ['source="slo"', 'severity="page"'], classify: "page" },
      { name: "slo-ticket", matchers: ['source="slo"', 'severity="ticket"'], classify: "ticket" },
      ...Array.from({ length: 20 }, (_, i) => ({
        name: `team-${i}`,
        matchers: [`service=~"svc-${i}[0-9]*"`],
        team: `team-${i}`,
        routes: [
          { name: `team-${i}-critical`, matchers: ["severity=critical"], classify: "page" as const },
          { name: `team-${i}-warning`, matchers: ['severity=~"warning|error"'], classify: "ticket" as const },
        ],
      })),
      { name: "audit", matchers: ['env="prod"'], receiver: "archive", continue: true },
      { name: "catch-disk", matchers: ['alertname="DiskFull"'], classify: "ticket" },
    ],
  },
  inhibitRules: [
    {
      name: "page-holds-tickets",
      sourceMatchers: ['class="page"'],
      targetMatchers: ['class="ticket"'],
      equal: ["service"],
    },
  ],
};

function makeSignal(i: number, at: number): Signal {
  const service = `svc-${i % SERVICES}`;
  const alertname = ALERTS[i % ALERTS.length] as string;
  const instance = `i-${i % 5_000}`;
  return {
    source: i % 7 === 0 ? "slo" : "alertmanager",
    service,
    title: alertname,
    severity: SEVERITIES[(i >> 3) % SEVERITIES.length] as string,
    labels: { alertname, instance, env: i % 2 ? "prod" : "staging", region: `r${i % 4}` },
    fingerprint: `${service}:${alertname}:${instance}`,
    links: [],
    startsAt: at,
  };
}

const config = parseRoutingConfig(ROUTING);
const BATCH = 20_000;
const TOTAL = 200_000;
const signals = Array.from({ length: TOTAL }, (_, i) => makeSignal(i, 0));

function runOurs(): number {
  let state: GroupingState = EMPTY_GROUPING_STATE;
  const start = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) {
    state = stepGrouping(config, state, { now: i, signals: signals.slice(i, i + BATCH) }).state;
  }
  return (TOTAL * 1000) / (performance.now() - start);
}

// The naive peer: the same tree walk, but matchers parsed and regexes compiled per signal, groups
// in an array found by linear scan, and the state deep-copied as JSON on every step.
interface NaiveGroup {
  key: string;
  alerts: { fingerprint: string; signal: Signal; received: number }[];
}
function naiveMatches(route: Route, text: (r: Route) => string[], labels: Record<string, string>): Route[] {
  const ok = text(route).every((m) => {
    const matcher = parseMatcher(m);
    const value = labels[matcher.name] ?? "";
    if (matcher.op === "=") return value === matcher.value;
    if (matcher.op === "!=") return value !== matcher.value;
    const re = new RegExp(`^(?:${matcher.value})$`);
    return matcher.op === "=~" ? re.test(value) : !re.test(value);
  });
  if (!ok) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const found = naiveMatches(child, text, labels);
    all.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [route];
}
function runNaive(count: number): number {
  const matcherText = (r: Route) =>
    r.matchers.map((m) => `${m.name}${m.op}"${m.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  let groups: NaiveGroup[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    groups = JSON.parse(JSON.stringify(groups)) as NaiveGroup[];
    for (const signal of signals.slice(i, i + BATCH)) {
      const labels = signalLabels(signal);
      const matched = naiveMatches(config.route, matcherText, labels);
      for (const route of matched) {
        if (route.classify === "log") continue;
        const key = `${route.path}{${route.groupBy.map((n) => `${n}=${labels[n] ?? ""}`).join(",")}}`;
        let group = groups.find((g) => g.key === key);
        if (!group) {
          group = { key, alerts: [] };
          groups.push(group);
        }
        const known = group.alerts.find((a) => a.fingerprint === signal.fingerprint);
        if (known) {
          known.signal = signal;
          known.received += 1;
        } else group.alerts.push({ fingerprint: signal.fingerprint, signal, received: 1 });
      }
    }
  }
  return (count * 1000) / (performance.now() - start);
}

runOurs(); // warm-up
const ours = Math.max(runOurs(), runOurs());
const naive = Math.max(runNaive(50_000), runNaive(50_000));
figure("signal classification + grouping (in process)", ours, "signals/s", ratio(ours, naive, "naive peer"));
figure("naive classification + grouping", naive, "signals/s");

// Through the API on SQLite.
const dir = mkdtempSync(join(tmpdir(), "nines-bench-signals-"));
const base = defaultConfig();
const nines = await startServer({
  config: {
    ...base,
    server: { ...base.server, port: 0, maxInFlight: 64 },
    database: { ...base.database, sqlitePath: join(dir, "nines.db") },
  },
  logger: createLogger({ level: "error", pretty: false }),
});
const token = (await authStore(nines.database.db).createToken("bench", "admin")).token;
await fetch(`${nines.url}/api/v1/routing`, {
  method: "PUT",
  headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  body: JSON.stringify(ROUTING),
});

const PER_REQUEST = 100;
const CONNECTIONS = 4;
const DURATION_MS = 8_000;
const bodies = Array.from({ length: 200 }, (_, b) =>
  JSON.stringify({
    signals: Array.from({ length: PER_REQUEST }, (_, j) => {
      const s = makeSignal(b * PER_REQUEST + j, 0);
      return {
        source: s.source,
        service: s.service,
        title: s.title,
        severity: s.severity,
        labels: s.labels,
        fingerprint: s.fingerprint,
      };
    }),
  }),
);

async function drive(url: string, headers: Record<string, string>): Promise<number> {
  let sent = 0;
  let next = 0;
  const deadline = performance.now() + DURATION_MS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const body = bodies[next++ % bodies.length] as string;
        const response = await fetch(url, { method: "POST", headers, body });
        if (response.status !== 200)
          throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        sent += PER_REQUEST;
      }
    }),
  );
  return (sent * 1000) / (performance.now() - start);
}

const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
const api = await drive(`${nines.url}/api/v1/signals`, headers);
const pages = await nines.database.db
  .selectFrom("pages")
  .select((eb) => eb.fn.countAll().as("n"))
  .executeTakeFirst();
await nines.close();
rmSync(dir, { recursive: true, force: true });

const bare: Server = createServer((req, res) => {
  let data = "";
  req.on("data", (c: Buffer) => {
    data += c.toString();
  });
  req.on("end", () => {
    const parsed = JSON.parse(data) as { signals: unknown[] };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ received: parsed.signals.length }));
  });
});
await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
const address = bare.address() as { port: number };
const floor = await drive(`http://127.0.0.1:${address.port}/`, headers);
bare.close();
figure(
  "POST /api/v1/signals on SQLite (100/request, 4 connections)",
  api,
  "signals/s",
  ratio(api, floor, "bare node:http JSON parse"),
);
process.stdout.write(
  `  (${Number(pages?.n ?? 0)} pages opened; repeats deduplicate into existing fingerprints)\n`,
);
