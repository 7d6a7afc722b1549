/**
 * A keep-alive HTTP load generator run in its own process (so that it does not share the event
 * loop with the server it measures), on raw sockets (see raw-http.ts):
 * `node http-load.js URL CONNECTIONS MS` sends GETs for MS milliseconds and prints requests/s.
 */
import { RawHttpConnection, requestHead } from "./raw-http.js";

const [url, connectionsArg, msArg] = process.argv.slice(2);
const connections = Number(connectionsArg ?? 32);
const durationMs = Number(msArg ?? 4000);
const target = new URL(url!);
const head = requestHead("GET", target);
const clients = Array.from({ length: connections }, () => new RawHttpConnection(target));

const end = Date.now() + durationMs;
let done = 0;
await Promise.all(
  clients.map(async (client) => {
    while (Date.now() < end) {
      const res = await client.send(head);
      if (res.status !== 200) throw new Error(`status ${res.status}: ${res.body.slice(0, 300)}`);
      done++;
    }
  }),
);
for (const client of clients) client.close();
process.stdout.write(`${(done * 1000) / durationMs}\n`);
