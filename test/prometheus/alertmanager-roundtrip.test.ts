import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authStore } from "../../src/auth/auth.store.js";
import { generateToken, parseToken } from "../../src/auth/token.js";
import { freePort } from "../support/free-port.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { ratioSpec } from "../support/specs.js";
import { toolAvailable } from "../support/system-tools.js";
import { type RunningAlertmanager, startAlertmanager } from "./support/alertmanager-process.js";

const spec = ratioSpec({ team: "payments", labels: { team: "payments" } });

interface ExternalAlert {
  state: string;
  labels: Record<string, string>;
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!toolAvailable("alertmanager"))("nines ⇄ a real Alertmanager", () => {
  let alertmanager: RunningAlertmanager;
  let live: LiveServer;
  let token: string;
  beforeAll(async () => {
    // nines pushes its SLO alerts to Alertmanager, whose webhook receiver is nines again.
    const port = await freePort();
    const secret = generateToken().token;
    alertmanager = await startAlertmanager(
      `http://127.0.0.1:${port}/api/v1/integrations/alertmanager?token=${secret}`,
    );
    live = await startLiveServer({
      server: { port },
      slo: { tickSeconds: 1 },
      alertmanager: { url: alertmanager.url },
    });
    token = await live.token("write", "pusher");
    // Alertmanager's webhook URL carries a token made before nines started: store its hash now.
    const parsed = parseToken(secret)!;
    await authStore(live.server.database.db).ensureToken(parsed.id, parsed.secret, "alertmanager", "write");
  }, 60_000);
  afterAll(async () => {
    await live?.close();
    await alertmanager?.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${live.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const received = async () =>
    (await (await fetch(`${live.url}/api/v1/integrations/alertmanager/alerts`)).json()) as ExternalAlert[];
  const pageFast = (alerts: ExternalAlert[]) => alerts.find((a) => a.labels["tier"] === "page-fast");

  it("pushes a page to Alertmanager on a fast burn and receives it back through the webhook, then the resolve", async () => {
    expect(
      (await post("/api/v1/slos/apply", { files: [{ path: "checkout.yaml", text: spec }] })).status,
    ).toBe(200);
    const now = Date.now();
    const samples = [];
    for (let ts = now - 3_600_000; ts < now - 10_000; ts += 10_000)
      samples.push({ slo: "checkout/availability", ts, good: 100, total: 100 });
    samples.push({ slo: "checkout/availability", ts: now - 5_000, good: 0, total: 1000 });
    expect((await post("/api/v1/sli/samples", { samples })).status).toBe(200);

    const firing = await waitFor(received, (alerts) => pageFast(alerts)?.state === "firing");
    expect(pageFast(firing)).toMatchObject({
      state: "firing",
      labels: {
        alertname: "NinesSloBurnPageFast",
        severity: "page",
        nines_slo: "checkout/availability",
        team: "payments",
      },
    });
    const amAlerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
    }[];
    expect(amAlerts.some((a) => a.labels["tier"] === "page-fast")).toBe(true);

    // A flood of good requests in the same minute brings both windows under 14.4 × 0.1%.
    await post("/api/v1/sli/samples", {
      samples: [{ slo: "checkout/availability", ts: Date.now(), good: 200_000, total: 200_000 }],
    });
    const resolved = await waitFor(received, (alerts) => pageFast(alerts)?.state === "resolved");
    expect(pageFast(resolved)?.state).toBe("resolved");
  }, 90_000);

  it("refuses a webhook without a valid token and a payload of the wrong version, naming the field", async () => {
    const unauthenticated = await fetch(`${live.url}/api/v1/integrations/alertmanager`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(unauthenticated.status).toBe(401);
    const wrongVersion = await post("/api/v1/integrations/alertmanager", {
      version: "3",
      groupKey: "g",
      truncatedAlerts: 0,
      status: "firing",
      receiver: "r",
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: "http://am",
      alerts: [],
    });
    expect(wrongVersion.status).toBe(400);
    expect(JSON.stringify(await wrongVersion.json())).toContain("body.version");
  });
});
