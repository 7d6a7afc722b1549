import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intervalTask } from "../../src/server/interval-task.js";
import { createLogger } from "../../src/server/logger.js";
import { type FakeServer, startFakeServer } from "../notifications/fake-receivers.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

describe("an interval task", () => {
  it("runs again right away when woken, and once more if woken while it runs", async () => {
    const log = createLogger({ level: "silent", pretty: false });
    let runs = 0;
    let release: (() => void) | undefined;
    const task = intervalTask(
      "test",
      3_600_000,
      async () => {
        runs++;
        if (runs === 2) await new Promise<void>((resolve) => (release = resolve));
      },
      log,
    );
    task.wake(); // not started: nothing happens
    const controller = new AbortController();
    task.start(controller.signal);
    await waitUntil(() => runs === 1);
    task.wake();
    await waitUntil(() => runs === 2);
    task.wake(); // while run 2 is still going
    release?.();
    await waitUntil(() => runs === 3);
    controller.abort();
    task.wake();
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(3);
  });
});

describe("a page signal with groupWait 0s", () => {
  let live: LiveServer;
  let hook: FakeServer;
  let token: string;
  beforeAll(async () => {
    hook = await startFakeServer(() => ({ status: 200 }));
    // Grouping and delivery intervals of a minute: only the wake-ups can deliver within the test.
    live = await startLiveServer({
      signals: { groupingIntervalMs: 60_000 },
      notifications: { allowedHosts: ["127.0.0.1"], pollIntervalMs: 60_000 },
    });
    token = await live.token("admin");
  });
  afterAll(async () => {
    await live?.close();
    await hook?.close();
  });
  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${live.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response;
  };

  it("reaches its receiver without waiting for the grouping or delivery interval", async () => {
    await api("POST", "/api/v1/receivers", {
      name: "oncall-hook",
      type: "webhook",
      config: { url: hook.url },
    });
    await api("PUT", "/api/v1/routing", {
      route: {
        name: "default",
        classify: "log",
        routes: [
          {
            name: "db-pages",
            matchers: ['service="db"'],
            classify: "page",
            receiver: "oncall-hook",
            groupBy: ["alertname"],
            groupWait: "0s",
          },
        ],
      },
    });
    // Let the first grouping and delivery passes after start go by.
    await new Promise((r) => setTimeout(r, 300));
    await api("POST", "/api/v1/signals", {
      source: "api",
      service: "db",
      title: "ReplicationLagHigh",
      severity: "critical",
    });
    await waitUntil(() => hook.requests.length > 0, 15_000);
    const [request] = hook.requests;
    expect(request?.json).toMatchObject({ message: { event: "trigger", outcome: "page", service: "db" } });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
