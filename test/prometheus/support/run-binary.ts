import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a real binary (promtool, alertmanager) and collects its output. A missing binary is a
 * failure, never a skipped test: the suite must not pass without the tool it claims to use.
 */
export function runBinary(path: string, args: readonly string[], cwd?: string): Promise<RunResult> {
  if (!existsSync(path)) throw new Error(`${path} is not installed; these tests need the real binary`);
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export const PROMTOOL = "/usr/bin/promtool";
export const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
