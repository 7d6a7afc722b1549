import type { Command } from "commander";
import { type Config, loadConfig } from "../config/index.js";
import { apiClient } from "./http-client.js";

/** Loads the configuration named by the global `--config` option (or ./nines.yaml, NINES_CONFIG). */
export function configFrom(command: Command): Config {
  const { config } = command.optsWithGlobals<{ config?: string }>();
  return loadConfig({ file: config });
}

/** The HTTP client for commands that act on a running nines (`--url`/NINES_URL, `--token`/NINES_TOKEN). */
export function clientFrom(command: Command) {
  const { url, token } = command.optsWithGlobals<{ url: string; token?: string }>();
  return apiClient({ url, token });
}
