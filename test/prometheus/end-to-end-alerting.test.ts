import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authStore } from "../../src/auth/auth.store.js";
import { generateToken, parseToken } from "../../src/auth/token.js";
import { runNinesAsync } from "../support/cli.js";
import { freePort } from "../support/free-port.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";
import { type RunningAlertmanager, startAlertmanager } from "./support/alertmanager-process.js";
import { type RunningPrometheus, startPrometheus } from "./support/prometheus-process.js";
import { counterLines, startExporter, type TestExporter, waitFor } from "./support/test-exporter.js";

/**
 * 99% over 1 h with one page line scaled down from the Workbook's 14.4 × 1h/5m: 10 × 1m/15s, so
 * that a full outage pages within seconds and its end resolves within the short window.
 */
const spec = [
  "apiVersion: nines/v1",
  "kind: SLO",
  "metadata:",
  "  name: availability",
  "  labels:",
  "    team: payments",
  "spec:",
  "  service: checkout",
  "  sli:",
  "    ratio:",
  "      count: bad",
  "  objective:",
  "    target: 99",
  "  window:",
  "    rolling: 1h",
  "  source:",
  "    prometheus:",
  "      url: http://127.0.0.1:9090",
  '      eventsQuery: sum(increase(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))',
  '      totalQuery: sum(increase(http_requests_total{job="checkout"}[{{window}}]))',
  "  alerting:",
  "    policy: none",
  "    lines:",
  "      page-fast:",
  "        severity: page",
  "        burnRate: 10",
  "        longWindow: 1m",
  "        shortWindow: 15s",
  "        minEvents: 10",
  "",
].join("\n");

interface ExternalAlert {
  state: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

describe.skipIf(!toolAvailable("prometheus") || !toolAvailable("alertmanager"))(
  "exporter → Prometheus (nines rules) → Alertmanager → nines",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "nines-e2e-"));
    let live: LiveServer;
    let alertmanager: RunningAlertmanager;
    let prometheus: RunningPrometheus;
    let exporter: TestExporter;
    let outage = false;
    const counts = { ok: 0, failed: 0 };

    beforeAll(async () => {
      writeFileSync(join(dir, "checkout.yaml"), spec);
      const generated = await runNinesAsync([
        "rules",
        "generate",
        "-f",
        join(dir, "checkout.yaml"),
        "--out",
        join(dir, "rules.yaml"),
        "--interval",
        "1s",
      ]);
      expect(generated.stderr).toContain("wrote 1 rule group");
      expect(generated.status).toBe(0);

      const port = await freePort();
      const secret = generateToken().token;
      alertmanager = await startAlertmanager(
        `http://127.0.0.1:${port}/api/v1/integrations/alertmanager?token=${secret}`,
      );
      live = await startLiveServer({ server: { port } });
      // Alertmanager's webhook URL carries a token made before nines started: store its hash now.
      const parsed = parseToken(secret)!;
      await authStore(live.server.database.db).ensureToken(parsed.id, parsed.secret, "alertmanager", "write");

      exporter = await startExporter(
        () => {
          if (outage) counts.failed += 100;
          else counts.ok += 100;
        },
        () =>
          [
            ...counterLines("http_requests_total", [
              [{ code: "200" }, counts.ok],
              [{ code: "500" }, counts.failed],
            ]),
            "",
          ].join("\n"),
      );
      prometheus = await startPrometheus({
        config: [
          "global:",
          "  scrape_interval: 1s",
          "  evaluation_interval: 1s",
          "rule_files: [rules.yaml]",
          "scrape_configs:",
          "  - job_name: checkout",
          "    static_configs:",
          `      - targets: ["${exporter.target}"]`,
          "alerting:",
          "  alertmanagers:",
          "    - static_configs:",
          `        - targets: ["${alertmanager.url.replace("http://", "")}"]`,
          "",
        ].join("\n"),
        files: { "rules.yaml": readFileSync(join(dir, "rules.yaml"), "utf8") },
      });
    }, 90_000);

    afterAll(async () => {
      await prometheus?.stop();
      await alertmanager?.stop();
      await exporter?.close();
      await live?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const received = async () =>
      (await (await fetch(`${live.url}/api/v1/integrations/alertmanager/alerts`)).json()) as ExternalAlert[];
    const page = (alerts: ExternalAlert[]) =>
      alerts.find((a) => a.labels["alertname"] === "NinesSloBurnPageFast");
    const diagnose = async (what: string) =>
      `${what}; scrapes ${exporter.scrapes()}; rules: ${JSON.stringify(
        await prometheus.query('{__name__=~"nines:slo_error_ratio:.*|ALERTS"}'),
      )}\nprometheus:\n${prometheus.logs().slice(-2000)}\nalertmanager:\n${alertmanager.logs().slice(-2000)}`;

    it("pages through Alertmanager when the exporter's requests fail, and resolves when they recover", async () => {
      // A healthy minute's worth of data is not needed: the short window fills within seconds.
      const healthy = await waitFor(
        () => prometheus.query('nines:slo_error_ratio:rate15s{nines_slo="checkout/availability"}'),
        (r) => r.length === 1 && Number(r[0]!.value[1]) === 0,
        45_000,
      );
      if (healthy.length !== 1) throw new Error(await diagnose("the recording rules never produced a ratio"));
      expect(page(await received())).toBeUndefined();

      outage = true;
      const firing = await waitFor(received, (alerts) => page(alerts)?.state === "firing", 60_000);
      if (page(firing)?.state !== "firing") throw new Error(await diagnose("no firing page reached nines"));
      expect(page(firing)).toMatchObject({
        state: "firing",
        labels: {
          alertname: "NinesSloBurnPageFast",
          severity: "page",
          tier: "page-fast",
          nines_slo: "checkout/availability",
          nines_service: "checkout",
          team: "payments",
        },
      });
      expect(page(firing)?.annotations["summary"]).toMatch(/checkout\/availability/);

      outage = false;
      const resolved = await waitFor(received, (alerts) => page(alerts)?.state === "resolved", 60_000);
      if (page(resolved)?.state !== "resolved")
        throw new Error(await diagnose("the resolve never reached nines"));
      expect(page(resolved)?.labels["nines_slo"]).toBe("checkout/availability");
    }, 200_000);
  },
);
