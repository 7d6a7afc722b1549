import { createServer, type Server } from "node:http";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import { webhookToEvents } from "../../src/prometheus/alertmanager/external-alert-event.js";
import { parseWebhookPayload } from "../../src/prometheus/alertmanager/parse-webhook.js";
import { PostableAlertsSchema } from "../../src/prometheus/alertmanager/postable-alert.js";
import {
  type SloAlertEvent,
  sloAlertToPostable,
} from "../../src/prometheus/alertmanager/slo-alert-to-postable.js";
import type { WebhookPayload } from "../../src/prometheus/alertmanager/webhook-payload.js";
import { compileRules } from "../../src/prometheus/rules/compile-rules.js";
import { toolAvailable } from "../support/system-tools.js";
import { type RunningAlertmanager, startAlertmanager } from "./support/alertmanager-process.js";
import { makeSlo } from "./support/slo-factory.js";

const firing: SloAlertEvent = {
  sloId: "api/availability",
  service: "api",
  line: "page-fast",
  severity: "page",
  state: "firing",
  at: Date.now(),
  labels: { env: "prod", owner: "platform" },
  summary: "api/availability: error budget burning 14.4x too fast over 1h and 5m",
  runbook: "https://runbooks.example.com/api-availability",
  url: "http://nines.example.com/slos/api/availability",
};

function payload(overrides: Partial<WebhookPayload> = {}): WebhookPayload {
  return {
    version: "4",
    groupKey: '{}:{alertname="NinesSloBurnPageFast"}',
    truncatedAlerts: 0,
    status: "firing",
    receiver: "nines",
    groupLabels: { alertname: "NinesSloBurnPageFast" },
    commonLabels: { alertname: "NinesSloBurnPageFast" },
    commonAnnotations: {},
    externalURL: "http://am.example.com",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "NinesSloBurnPageFast" },
        annotations: {},
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "",
        fingerprint: "0123456789abcdef",
      },
    ],
    ...overrides,
  };
}

describe("Alertmanager payload mapping", () => {
  it("gives a nines alert the same labels as the compiled Prometheus rule of its line", () => {
    const rule = compileRules([makeSlo()]).groups[0]?.rules.find(
      (r) => "alert" in r && r.labels?.["tier"] === "page-fast",
    );
    const postable = sloAlertToPostable(firing);
    expect(postable.labels).toEqual({
      ...rule?.labels,
      alertname: rule && "alert" in rule ? rule.alert : "",
    });
  });

  it("keeps a firing alert active for 5 minutes and ends a resolved one at its time", () => {
    const at = Date.parse("2026-03-01T12:00:00Z");
    expect(sloAlertToPostable({ ...firing, at }).endsAt).toBe("2026-03-01T12:05:00.000Z");
    const resolved = sloAlertToPostable({ ...firing, state: "resolved", at, startedAt: at - 60_000 });
    expect(resolved).toMatchObject({
      startsAt: "2026-03-01T11:59:00.000Z",
      endsAt: "2026-03-01T12:00:00.000Z",
    });
    expect(Value.Check(PostableAlertsSchema, [resolved])).toBe(true);
  });

  it("maps webhook alerts to external events and drops Alertmanager's zero end time", () => {
    const [event] = webhookToEvents(parseWebhookPayload(payload()));
    expect(event).toEqual({
      source: "alertmanager",
      fingerprint: "0123456789abcdef",
      state: "firing",
      labels: { alertname: "NinesSloBurnPageFast" },
      annotations: {},
      startsAt: "2026-01-01T00:00:00Z",
      receiver: "nines",
      groupKey: '{}:{alertname="NinesSloBurnPageFast"}',
    });
  });

  it("uses each alert's own status inside a firing group", () => {
    const base = payload().alerts[0]!;
    const events = webhookToEvents(
      payload({
        alerts: [base, { ...base, status: "resolved", endsAt: "2026-01-01T00:10:00Z", fingerprint: "f2" }],
      }),
    );
    expect(events.map((e) => [e.state, e.endsAt])).toEqual([
      ["firing", undefined],
      ["resolved", "2026-01-01T00:10:00Z"],
    ]);
  });

  it("rejects a version 3 payload and a missing fingerprint with NINES_ERR_ALERTMANAGER_PAYLOAD_INVALID", () => {
    const { fingerprint: _dropped, ...noFingerprint } = payload().alerts[0]!;
    for (const bad of [
      { ...payload(), version: "3" },
      { ...payload(), alerts: [noFingerprint] },
      "x",
      null,
    ]) {
      let code: string | undefined;
      let details: unknown;
      try {
        parseWebhookPayload(bad);
      } catch (error) {
        if (isNinesError(error)) {
          code = error.code;
          details = error.details;
        }
      }
      expect(code).toBe("NINES_ERR_ALERTMANAGER_PAYLOAD_INVALID");
      expect(Array.isArray(details) && details.length > 0).toBe(true);
    }
  });
});

describe.skipIf(!toolAvailable("alertmanager"))("against a real prometheus-alertmanager", () => {
  let am: RunningAlertmanager;
  let server: Server;
  const received: unknown[] = [];
  const waiters: (() => void)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        received.push(JSON.parse(body));
        for (const w of waiters.splice(0)) w();
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    am = await startAlertmanager(`http://127.0.0.1:${port}/hook`);
  });

  afterAll(async () => {
    await am?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function nextWebhook(matching: (p: WebhookPayload) => boolean): Promise<WebhookPayload> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = received.map((b) => parseWebhookPayload(b)).find(matching);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching webhook; got ${JSON.stringify(received)}\n${am.logs()}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }

  async function post(event: SloAlertEvent): Promise<Response> {
    return fetch(`${am.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([sloAlertToPostable(event)]),
    });
  }

  it("accepts a postable alert, notifies the webhook with a valid v4 payload, then sends the resolution", async () => {
    const startedAt = Date.now();
    const res = await post({ ...firing, at: startedAt });
    expect(res.status).toBe(200);

    const firingPayload = await nextWebhook((p) => p.status === "firing");
    expect(firingPayload.version).toBe("4");
    const [event] = webhookToEvents(firingPayload);
    expect(event).toMatchObject({
      source: "alertmanager",
      state: "firing",
      receiver: "nines",
      generatorUrl: firing.url,
      labels: {
        alertname: "NinesSloBurnPageFast",
        nines_slo: "api/availability",
        nines_service: "api",
        severity: "page",
        tier: "page-fast",
        env: "prod",
      },
      annotations: { summary: firing.summary, runbook: firing.runbook },
    });
    expect(event?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(event?.endsAt).toBeUndefined();

    const listed = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as { fingerprint: string }[];
    expect(listed.map((a) => a.fingerprint)).toContain(event?.fingerprint);

    await post({ ...firing, state: "resolved", at: Date.now(), startedAt });
    const resolvedPayload = await nextWebhook((p) => p.status === "resolved");
    const [resolved] = webhookToEvents(resolvedPayload);
    expect(resolved?.state).toBe("resolved");
    expect(resolved?.fingerprint).toBe(event?.fingerprint);
    expect(resolved?.endsAt).toBeDefined();
  }, 60_000);
});
