import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";
import { type RunningPrometheus, startPrometheus } from "./support/prometheus-process.js";
import { availabilitySpec, latencySpec } from "./support/remote-write-specs.js";
import { counterLines, startExporter, type TestExporter, waitFor } from "./support/test-exporter.js";

interface Summary {
  sli: number | null;
  budgetRemaining: number;
  budget: { allowed: number; spent: number };
}

describe.skipIf(!toolAvailable("prometheus"))("a real Prometheus remote-writing to nines", () => {
  let live: LiveServer;
  let exporter: TestExporter;
  let prometheus: RunningPrometheus;
  // Every scrape: 99 requests answered 200 and 1 answered 500; 199 of 200 requests under 300 ms.
  const counts = { ok: 0, failed: 0, fast: 0, slow: 0, scrapes: 0 };

  beforeAll(async () => {
    live = await startLiveServer({ slo: { tickSeconds: 1 } });
    const token = await live.token("write", "prometheus");
    const apply = await fetch(`${live.url}/api/v1/slos/apply`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        files: [
          { path: "availability.yaml", text: availabilitySpec },
          { path: "latency.yaml", text: latencySpec },
        ],
      }),
    });
    expect(apply.status).toBe(200);
    exporter = await startExporter(
      () => {
        counts.scrapes++;
        // The sixth scrape finds a restarted process: every counter starts again from zero.
        if (counts.scrapes === 6) Object.assign(counts, { ok: 0, failed: 0, fast: 0, slow: 0 });
        counts.ok += 99;
        counts.failed += 1;
        counts.fast += 199;
        counts.slow += 1;
      },
      () => {
        const all = counts.fast + counts.slow;
        return [
          ...counterLines("http_requests_total", [
            [{ code: "200" }, counts.ok],
            [{ code: "500" }, counts.failed],
          ]),
          "# TYPE http_request_duration_seconds histogram",
          `http_request_duration_seconds_bucket{le="0.1"} ${Math.floor(counts.fast / 2)}`,
          `http_request_duration_seconds_bucket{le="0.3"} ${counts.fast}`,
          `http_request_duration_seconds_bucket{le="1"} ${all}`,
          `http_request_duration_seconds_bucket{le="+Inf"} ${all}`,
          `http_request_duration_seconds_sum ${all * 0.1}`,
          `http_request_duration_seconds_count ${all}`,
          "",
        ].join("\n");
      },
    );
    prometheus = await startPrometheus({
      config: [
        "global:",
        "  scrape_interval: 1s",
        "scrape_configs:",
        "  - job_name: api",
        "    static_configs:",
        `      - targets: ["${exporter.target}"]`,
        "remote_write:",
        `  - url: "${live.url}/api/v1/write"`,
        "    authorization:",
        `      credentials: "${token}"`,
        "    queue_config:",
        "      batch_send_deadline: 1s",
        "      min_backoff: 100ms",
        "",
      ].join("\n"),
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
    await live?.close();
  });

  const summary = async (name: string): Promise<Summary> =>
    ((await (await fetch(`${live.url}/api/v1/slos/api/${name}`)).json()) as { summary: Summary }).summary;

  it("turns the scraped counters into the SLOs' SLI and budget, across a counter reset", async () => {
    // 12 intervals of 100 requests each (the first scrape is every counter's baseline).
    const enough = (s: Summary) => s.budget.allowed >= 0.02 * 1200;
    const availability = await waitFor(() => summary("availability"), enough, 60_000);
    if (!enough(availability)) {
      throw new Error(
        `too few events reached nines: ${JSON.stringify(availability)}; scrapes ${exporter.scrapes()}\n${prometheus.logs().slice(-3000)}`,
      );
    }
    expect(exporter.scrapes()).toBeGreaterThan(6);
    // 1% failed against a 2% budget: SLI 99%, half the budget left.
    expect(availability.sli).toBeCloseTo(0.99, 10);
    expect(availability.budgetRemaining).toBeCloseTo(0.5, 10);
    const latency = await waitFor(
      () => summary("latency"),
      (s) => s.budget.allowed >= 0.01 * 2400,
      30_000,
    );
    // 99.5% under 300 ms against 99%: SLI 99.5%, half the budget left.
    expect(latency.sli).toBeCloseTo(0.995, 10);
    expect(latency.budgetRemaining).toBeCloseTo(0.5, 10);

    const metrics = await (await fetch(`${live.url}/metrics`)).text();
    const value = (result: string) =>
      Number(
        new RegExp(`nines_remote_write_samples_total\\{result="${result}"\\} (\\S+)`).exec(metrics)?.[1],
      );
    expect(value("stored")).toBeGreaterThan(0);
    // up, scrape_duration_seconds, the histogram's _sum and other buckets select no SLO.
    expect(value("unmatched")).toBeGreaterThan(0);
  }, 120_000);
});
