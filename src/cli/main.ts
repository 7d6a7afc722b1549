import { CommanderError } from "commander";
import { isNinesError } from "../errors/index.js";
import { createProgram } from "./program.js";

/**
 * Entry point of the `nines` binary. Exit codes: 0 ok, 1 a check failed or the command failed,
 * 2 bad usage (unknown command, missing or malformed argument).
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (isNinesError(error)) {
      process.stderr.write(`error ${error.code}: ${error.message}\n`);
      process.exitCode = error.code === "NINES_ERR_CLI_USAGE" ? 2 : 1;
      return;
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
