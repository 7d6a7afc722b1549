import { existsSync } from "node:fs";

/** The Debian packages' binaries that some tests drive for real. */
export const TOOLS = {
  promtool: "/usr/bin/promtool",
  prometheus: "/usr/bin/prometheus",
  alertmanager: "/usr/bin/prometheus-alertmanager",
  chromium: "/usr/bin/chromium",
} as const;

const PACKAGES: Record<keyof typeof TOOLS, string> = {
  promtool: "prometheus",
  prometheus: "prometheus",
  alertmanager: "prometheus-alertmanager",
  chromium: "chromium",
};

const warned = new Set<string>();

/**
 * Whether a tool is installed. Where it is not, its tests are reported as skipped, with a loud
 * warning; under CI (where `bash .ci/run` installs every package) a missing tool fails the run.
 */
export function toolAvailable(tool: keyof typeof TOOLS): boolean {
  if (existsSync(TOOLS[tool])) return true;
  const message = `${TOOLS[tool]} is not installed: its tests are SKIPPED. Install the Debian package \`${PACKAGES[tool]}\` (bash .ci/run does).`;
  if (process.env["CI"]) throw new Error(message);
  if (!warned.has(tool)) {
    warned.add(tool);
    process.stderr.write(`\n\u001b[41;97m WARNING \u001b[0m ${message}\n\n`);
  }
  return false;
}
