#!/usr/bin/env node
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "src", "cli", "run.js");
if (!existsSync(built)) {
  process.stderr.write("nines is not built yet: run `npm run build` (npm install runs it for you).\n");
  process.exit(1);
}
await import(pathToFileURL(built).href);
