import { existsSync, readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { parse } from "yaml";
import { CliUsageError } from "../cli/errors.js";
import { defaultRoutingConfig } from "./default-routing.js";
import { parseLabelArgs } from "./label-args.js";
import { compileRoutingConfig, type RoutingConfig } from "./routing-config.js";
import { checkRouteExpectation, testRoute } from "./test-route.js";

const OUTCOMES = ["page", "ticket", "log"] as const;

/** Reads a routing file, printing each problem by field path; undefined when it has any. */
function loadRouting(file: string | undefined): RoutingConfig | undefined {
  if (file === undefined) return defaultRoutingConfig();
  if (!existsSync(file)) throw new CliUsageError(`${file}: no such file`);
  let input: unknown;
  try {
    input = parse(readFileSync(file, "utf8"));
  } catch (error) {
    process.stderr.write(`${file}: not YAML: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return undefined;
  }
  const compiled = compileRoutingConfig(input);
  if (compiled.config === null) {
    for (const e of compiled.errors) process.stderr.write(`${file}: ${e.path}: ${e.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
  return compiled.config;
}

/**
 * `nines routes test|check`: which rule makes a signal a page, a ticket or a log (like
 * `amtool config routes test`), usable in CI with `--expect`.
 */
export function registerRoutesCommands(program: Command): void {
  const routes = program
    .command("routes")
    .description("the routing tree that makes every signal a page, a ticket or a log");

  routes
    .command("test <labels...>")
    .description(
      "classify labels (service=db severity=critical …): outcome, deciding rule, receiver, team, escalation",
    )
    .option("-f, --file <routing.yaml>", "routing configuration (default: nines' built-in routing)")
    .addOption(new Option("--expect <outcome>", "exit 1 unless the outcome is this").choices([...OUTCOMES]))
    .option("--output <format>", "table or json", "table")
    .action(
      (
        labelArgs: string[],
        options: { file?: string; expect?: (typeof OUTCOMES)[number]; output: string },
      ) => {
        const config = loadRouting(options.file);
        if (!config) return;
        let labels: ReturnType<typeof parseLabelArgs>;
        try {
          labels = parseLabelArgs(labelArgs);
        } catch (error) {
          throw new CliUsageError(
            error instanceof Error ? error.message : String(error),
            (error as { details?: unknown }).details,
          );
        }
        const result = testRoute(config, labels);
        if (options.output === "json") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stdout.write(`${result.outcome}\n`);
          process.stdout.write(`  decided by  ${result.rule.name} (${result.rule.path})\n`);
          process.stdout.write(
            `  receiver    ${result.receiver ?? "-"}\n  team        ${result.team ?? "-"}\n  escalation  ${result.escalation ?? "-"}\n`,
          );
        }
        if (options.expect) {
          const check = checkRouteExpectation(result, options.expect);
          (check.pass ? process.stdout : process.stderr).write(`${check.message}\n`);
          if (!check.pass) process.exitCode = 1;
        }
      },
    );

  routes
    .command("check <routing.yaml>")
    .description("validate a routing configuration; print each problem with its field path (exit 1)")
    .action((file: string) => {
      if (loadRouting(file)) process.stdout.write(`${file}: routing configuration is valid\n`);
    });
}
