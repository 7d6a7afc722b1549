import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../support/free-port.js";

export const PROMETHEUS = "/usr/bin/prometheus";

export interface RunningPrometheus {
  readonly url: string;
  readonly dir: string;
  readonly logs: () => string;
  readonly exited: () => boolean;
  /** Instant PromQL query; the result vector. */
  readonly query: (promql: string) => Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  readonly stop: () => Promise<void>;
}

export interface PrometheusOptions {
  /** prometheus.yml; `PROMETHEUS_PORT` is replaced by the port Prometheus listens on. */
  readonly config: string;
  /** Extra files written into the config's directory (rule files), by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** An existing TSDB directory (e.g. made by promtool tsdb create-blocks-from). */
  readonly dataDir?: string;
  readonly args?: readonly string[];
}

/**
 * Starts the real Prometheus on a free 127.0.0.1 port with a temp config directory (and a temp
 * TSDB unless one is given), and waits until /-/ready answers. A missing binary is a failure.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS))
    throw new Error(`${PROMETHEUS} is not installed; this test needs the real binary`);
  const dir = mkdtempSync(join(tmpdir(), "nines-prom-"));
  const port = await freePort();
  writeFileSync(join(dir, "prometheus.yml"), options.config.replaceAll("PROMETHEUS_PORT", String(port)));
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${options.dataDir ?? join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(options.args ?? []),
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let logs = "";
  const keep = (c: Buffer) => {
    logs = (logs + c.toString()).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== "success") throw new Error(`query ${promql} failed: ${body.error}`);
    return body.data?.result ?? [];
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return { url, dir, logs: () => logs, exited: () => child.exitCode !== null, query, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const last = logs;
  await stop();
  throw new Error(`prometheus did not become ready:\n${last.slice(-5000)}`);
}
