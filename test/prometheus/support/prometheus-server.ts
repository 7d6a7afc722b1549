import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TOOLS } from "../../support/system-tools.js";

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  logs(): string;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory, and waits until it is ready. */
  start(): Promise<void>;
}

/**
 * A real Prometheus (the Debian package's binary) on 127.0.0.1:`port`, with its data in
 * `dir/data` and a config scraping `targets` every second.
 */
export async function startPrometheusServer(options: {
  dir: string;
  port: number;
  targets: readonly string[];
}): Promise<PrometheusServer> {
  const { dir, port } = options;
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, "prometheus.yml"),
    [
      "global:",
      "  scrape_interval: 1s",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      "  - job_name: app",
      "    static_configs:",
      `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(", ")}]`,
      "",
    ].join("\n"),
  );
  let child: ChildProcess | undefined;
  let logs = "";
  const server: PrometheusServer = {
    url,
    port,
    logs: () => logs,
    async start() {
      child = spawn(
        TOOLS.prometheus,
        [
          `--config.file=${join(dir, "prometheus.yml")}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--storage.tsdb.retention.time=15d",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout?.on("data", (c: Buffer) => {
        logs += c.toString();
      });
      child.stderr?.on("data", (c: Buffer) => {
        logs += c.toString();
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`prometheus exited\n${logs.slice(-3000)}`);
        try {
          if ((await fetch(`${url}/-/ready`)).ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`prometheus not ready\n${logs.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once("exit", resolve));
      c.kill("SIGTERM");
      await exited;
    },
  };
  await server.start();
  return server;
}

/** Runs an instant query against a Prometheus and returns the first value, or undefined. */
export async function queryValue(url: string, query: string): Promise<number | undefined> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
  const v = body.data?.result?.[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}
