import { defineError } from "../errors/index.js";

export const CliUnreachableError = defineError(
  "NINES_ERR_CLI_UNREACHABLE",
  503,
  "The CLI could not reach the nines server at `--url`/NINES_URL (not running, wrong address, or timed out).",
);
export const CliUsageError = defineError(
  "NINES_ERR_CLI_USAGE",
  400,
  "A command was called with a missing or malformed argument; the CLI exits with code 2.",
);
