import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
// node itself with tsx's loader (not the tsx wrapper), so that a signal reaches the server process.
const tsxLoader = pathToFileURL(join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
const node = (args: string[]) => [process.execPath, ["--import", tsxLoader, entry, ...args]] as const;
const entry = join(repoRoot, "src", "cli", "run.ts");

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `nines` CLI (from source) as a child process. */
export function runNines(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): CliResult {
  const [command, argv] = node(args);
  const result: SpawnSyncReturns<string> = spawnSync(command, argv, {
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
  const [command, argv] = node(args);
  return spawn(command, argv, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NINES_CONFIG: "", DATABASE_URL: "", NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Like {@link runNines} without blocking this process: for commands that talk to a server
 * running inside the test process.
 */
export async function runNinesAsync(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawnNines(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const status = await new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  return { status, stdout, stderr };
}
