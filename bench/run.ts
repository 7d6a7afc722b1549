/**
 * `npm run bench [filter]`: runs every bench/*.bench.ts in its own Node process (with --expose-gc
 * for the memory figures), one after another, and prints their figures.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const loader = pathToFileURL(join(dir, "..", "node_modules", "tsx", "dist", "loader.mjs")).href;
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n## ${file}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", loader, join(dir, file)], {
    stdio: "inherit",
  });
  process.stdout.write(`(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  process.stderr.write(`${failed} benchmark(s) failed\n`);
  process.exitCode = 1;
}
