import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const entry = join(repoRoot, "src", "cli", "run.ts");

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `nines` CLI (from source) as a child process. */
export function runNines(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(tsx, [entry, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NINES_CONFIG: "", DATABASE_URL: "", NO_COLOR: "1", ...options.env },
    input: options.input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `nines serve` as a child process (for tests that need a real process: shutdown, leader takeover). */
export function spawnNines(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return spawn(tsx, [entry, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NINES_CONFIG: "", DATABASE_URL: "", NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
