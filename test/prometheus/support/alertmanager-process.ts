import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../support/free-port.js";
import { ALERTMANAGER } from "./run-binary.js";

export interface RunningAlertmanager {
  readonly url: string;
  readonly logs: () => string;
  readonly stop: () => Promise<void>;
}

/**
 * Starts the real prometheus-alertmanager on a free 127.0.0.1 port with clustering off, a temp
 * storage dir and one webhook receiver, and waits until /-/ready answers.
 */
export async function startAlertmanager(webhookUrl: string): Promise<RunningAlertmanager> {
  if (!existsSync(ALERTMANAGER))
    throw new Error(`${ALERTMANAGER} is not installed; this test needs the real binary`);
  const dir = mkdtempSync(join(tmpdir(), "nines-am-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "alertmanager.yml"),
    [
      "route:",
      "  receiver: nines",
      "  group_by: [alertname, nines_slo]",
      "  group_wait: 1s",
      "  group_interval: 1s",
      "  repeat_interval: 1h",
      "receivers:",
      "  - name: nines",
      "    webhook_configs:",
      `      - url: ${JSON.stringify(webhookUrl)}`,
      "        send_resolved: true",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let logs = "";
  child.stdout?.on("data", (c: Buffer) => {
    logs += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    logs += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return { url, logs: () => logs, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`alertmanager did not become ready:\n${logs}`);
}
