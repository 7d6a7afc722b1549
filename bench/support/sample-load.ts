/**
 * A keep-alive load generator for POST /api/v1/sli/samples, run in its own process:
 * `node sample-load.js URL TOKEN CONNECTIONS SLOS START_MS REQUESTS [FIRST]` sends REQUESTS bodies of
 * 1,000 samples each (SLOs `bench/slo-<FIRST + i>`, 1,000 per request, 10 s apart per SLO from START_MS),
 * prints `samples/s` and the median ms per request. Bodies are built before the clock starts.
 */
import { Agent, request } from "node:http";

const [url, token, connectionsArg, slosArg, startArg, requestsArg, firstArg] = process.argv.slice(2);
const first = Number(firstArg ?? 0);
const connections = Number(connectionsArg ?? 16);
const slos = Number(slosArg ?? 1000);
const start = Number(startArg);
const requests = Number(requestsArg ?? 1000);
const PER_REQUEST = 1000;
const groups = Math.max(1, Math.floor(slos / PER_REQUEST));
const agent = new Agent({ keepAlive: true, maxSockets: connections });

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

const post = (body: Buffer) =>
  new Promise<void>((resolve, reject) => {
    const req = request(
      url!,
      {
        agent,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": body.length,
          ...(token && token !== "-" ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve()
            : reject(
                new Error(`status ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`),
              ),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });

let next = 0;
const times: number[] = [];
const t0 = performance.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    for (let r = next++; r < requests; r = next++) {
      const s = performance.now();
      await post(bodies[r]!);
      times.push(performance.now() - s);
    }
  }),
);
const ms = performance.now() - t0;
agent.destroy();
times.sort((a, b) => a - b);
process.stdout.write(
  `${((requests * PER_REQUEST * 1000) / ms).toFixed(0)} ${times[times.length >> 1]!.toFixed(2)}\n`,
);
