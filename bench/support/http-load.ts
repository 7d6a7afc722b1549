/**
 * A keep-alive HTTP load generator run in its own process (so that it does not share the event
 * loop with the server it measures): `node http-load.js URL CONNECTIONS MS` prints requests/s.
 */
import { Agent, request } from "node:http";

const [url, connectionsArg, msArg] = process.argv.slice(2);
const connections = Number(connectionsArg ?? 32);
const durationMs = Number(msArg ?? 4000);
const agent = new Agent({ keepAlive: true, maxSockets: connections });

const get = () =>
  new Promise<void>((resolve, reject) => {
    const req = request(url!, { agent }, (res) => {
      res.resume();
      res.on("end", () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on("error", reject);
    req.end();
  });

const end = Date.now() + durationMs;
let done = 0;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (Date.now() < end) {
      await get();
      done++;
    }
  }),
);
agent.destroy();
process.stdout.write(`${(done * 1000) / durationMs}\n`);
