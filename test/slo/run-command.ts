import { Command } from "commander";
import { registerSloCommands } from "../../src/slo/slo.commands.js";

export interface CommandRun {
  readonly exitCode: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `nines <args…>` on a fresh program with the SLO commands, capturing what they print and
 * the exit code they set; commander's own usage errors come back as exit code 2 or 1.
 */
export async function runSlo(...args: string[]): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command("nines");
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => out.push(s.trimEnd()), writeErr: (s) => err.push(s.trimEnd()) });
  registerSloCommands(program, { out: (s) => out.push(s), err: (s) => err.push(s) });
  const before = process.exitCode;
  process.exitCode = undefined;
  let exitCode = 0;
  try {
    await program.parseAsync(["node", "nines", ...args]);
    exitCode = Number(process.exitCode ?? 0);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    exitCode = code === undefined || code === 0 ? 0 : 2;
  } finally {
    process.exitCode = before;
  }
  return { exitCode, out: out.join("\n"), err: err.join("\n") };
}
