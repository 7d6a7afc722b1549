import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEADLINE_HEADER,
  httpLoadShedding,
  LoadShedder,
  NO_RETRY_HEADER,
} from "../../src/resilience/index.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function serve(shedder: LoadShedder) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const shed = httpLoadShedding({ shedder, exclude: (req) => req.url === "/healthz" });
  const server = createServer((req, res) =>
    shed(req, res, () => {
      if (req.url === "/healthz") return res.end("ok");
      void gate.then(() => res.end("done"));
    }),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, open };
}

describe("plain http load-shedding middleware", () => {
  it("sheds past the limit on a real server and frees the slot when the response ends", async () => {
    const shedder = new LoadShedder({ limit: 1, retryAfterSeconds: 4, criticalHeadroom: 0 });
    const { url, open } = await serve(shedder);
    const first = fetch(`${url}/work`);
    while (shedder.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    const second = await fetch(`${url}/work`);
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("4");
    expect(second.headers.get(NO_RETRY_HEADER)).toBe("1");
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
      "NINES_ERR_RESILIENCE_SHED",
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    open();
    expect(await (await first).text()).toBe("done");
    while (shedder.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    expect((await fetch(`${url}/work`)).status).toBe(200);
  });

  it("answers 504 to a request whose propagated deadline is spent", async () => {
    const { url } = await serve(new LoadShedder({ limit: 1 }));
    const res = await fetch(`${url}/work`, { headers: { [DEADLINE_HEADER]: "0" } });
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED",
    );
  });

  it("frees the slot when the client disconnects mid-request", async () => {
    const shedder = new LoadShedder({ limit: 1, criticalHeadroom: 0 });
    const { url, open } = await serve(shedder);
    const controller = new AbortController();
    const aborted = fetch(`${url}/work`, { signal: controller.signal }).catch(() => "aborted");
    while (shedder.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await aborted).toBe("aborted");
    while (shedder.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    expect(shedder.inFlight).toBe(0);
    open();
  });
});
