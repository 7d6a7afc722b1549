import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const PROMTOOL = "/usr/bin/promtool";

/**
 * Runs the real promtool with `input` on stdin. Fails loudly when promtool is missing: a test
 * that checks Prometheus output must not pass without the tool that checks it.
 */
export function promtool(args: string[], input?: string): { status: number; output: string } {
  if (!existsSync(PROMTOOL)) {
    throw new Error(`${PROMTOOL} not found: install the Debian package \`prometheus\` (bash .ci/run does)`);
  }
  const result = spawnSync(PROMTOOL, args, { input, encoding: "utf8" });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
