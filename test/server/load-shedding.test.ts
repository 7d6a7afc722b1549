import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

/** Opens a request whose body never finishes, so it holds its load-shedding slot. */
async function holdSlot(url: string, token: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    `POST /api/v1/sli/samples HTTP/1.1\r\nHost: ${hostname}:${port}\r\ncontent-type: application/json\r\nauthorization: Bearer ${token}\r\ncontent-length: 1000\r\n\r\n{"sam`,
  );
  await new Promise((r) => setTimeout(r, 200));
  return socket;
}

describe("load shedding on nines' own server", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer({ server: { maxInFlight: 1, maxQueue: 0 } });
  });
  afterAll(() => live.close());

  it("answers 503 with Retry-After and the don't-retry marker when every slot is busy, and serves again after", async () => {
    const held = await holdSlot(live.url, await live.token("write"));
    const shed = await fetch(`${live.url}/api/v1/version`);
    expect(shed.status).toBe(503);
    expect(Number(shed.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(shed.headers.get("nines-no-retry")).toBe("1");
    expect(((await shed.json()) as { error: { code: string } }).error.code).toBe("NINES_ERR_RESILIENCE_SHED");

    expect((await fetch(`${live.url}/api/v1/health`)).status).toBe(200);
    const metrics = await (await fetch(`${live.url}/metrics`)).text();
    expect(metrics).toMatch(
      /nines_resilience_shed_total\{shedder="http",reason="[a-z-]+",criticality="default"\} 1/,
    );
    expect(metrics).toMatch(/^nines_http_in_flight_requests 1$/m);

    held.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${live.url}/api/v1/version`)).status).toBe(200);
  });

  it("answers 504 at once to a request whose propagated deadline is already spent", async () => {
    const response = await fetch(`${live.url}/api/v1/version`, { headers: { "nines-deadline-ms": "0" } });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED",
    );
  });
});
