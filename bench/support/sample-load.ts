/**
 * A keep-alive load generator for POST /api/v1/sli/samples, run in its own process, on raw
 * sockets (see raw-http.ts):
 * `node sample-load.js URL TOKEN CONNECTIONS SLOS START_MS REQUESTS [FIRST]` sends REQUESTS bodies of
 * 1,000 samples each (SLOs `bench/slo-<FIRST + i>`, 1,000 per request, 10 s apart per SLO from START_MS),
 * prints `samples/s` and the median ms per request. Bodies are built before the clock starts.
 */
import { RawHttpConnection, requestHead } from "./raw-http.js";

const [url, token, connectionsArg, slosArg, startArg, requestsArg, firstArg] = process.argv.slice(2);
const first = Number(firstArg ?? 0);
const connections = Number(connectionsArg ?? 16);
const slos = Number(slosArg ?? 1000);
const start = Number(startArg);
const requests = Number(requestsArg ?? 1000);
const PER_REQUEST = 1000;
const groups = Math.max(1, Math.floor(slos / PER_REQUEST));

// Bytes, as a client sends them: encoding each body again per request would be the generator's
// CPU, taken from the server it shares the machine with.
const bodies: Buffer[] = [];
for (let r = 0; r < requests; r++) {
  const g = r % groups;
  const ts = start + Math.floor(r / groups) * 10_000;
  const samples: string[] = [];
  for (let i = 0; i < PER_REQUEST; i++) {
    const good = (i + r) % 1000 === 0 ? 999 : 1000;
    samples.push(`{"slo":"bench/slo-${first + g * PER_REQUEST + i}","ts":${ts},"good":${good},"total":1000}`);
  }
  bodies.push(Buffer.from(`{"samples":[${samples.join(",")}]}`));
}

const target = new URL(url!);
const auth: Record<string, string> = token && token !== "-" ? { Authorization: `Bearer ${token}` } : {};
const heads = new Map<number, Buffer>();
const headFor = (length: number) => {
  let head = heads.get(length);
  if (!head) {
    head = requestHead("POST", target, length, auth);
    heads.set(length, head);
  }
  return head;
};
const clients = Array.from({ length: connections }, () => new RawHttpConnection(target));
const post = async (client: RawHttpConnection, body: Buffer) => {
  const res = await client.send(headFor(body.length), body);
  if (res.status !== 200) throw new Error(`status ${res.status}: ${res.body.slice(0, 300)}`);
};

let next = 0;
const times: number[] = [];
const t0 = performance.now();
await Promise.all(
  clients.map(async (client) => {
    for (let r = next++; r < requests; r = next++) {
      const s = performance.now();
      await post(client, bodies[r]!);
      times.push(performance.now() - s);
    }
  }),
);
const ms = performance.now() - t0;
for (const client of clients) client.close();
times.sort((a, b) => a - b);
process.stdout.write(
  `${((requests * PER_REQUEST * 1000) / ms).toFixed(0)} ${times[times.length >> 1]!.toFixed(2)}\n`,
);
