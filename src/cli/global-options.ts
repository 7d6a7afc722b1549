import type { Command } from "commander";
import { type Config, loadConfig } from "../config/index.js";

/** Loads the configuration named by the global `--config` option (or ./nines.yaml, NINES_CONFIG). */
export function configFrom(command: Command): Config {
  const { config } = command.optsWithGlobals<{ config?: string }>();
  return loadConfig({ file: config });
}
