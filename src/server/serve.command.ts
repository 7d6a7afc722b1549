import { type Command, InvalidArgumentError, Option } from "commander";
import { configFrom } from "../cli/global-options.js";
import { createLogger } from "./logger.js";
import { startServer } from "./start-server.js";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the nines server: API, web UI and background evaluation (SQLite by default)")
    .option("--host <address>", "address to listen on (overrides server.host)")
    .option("--port <port>", "TCP port (overrides server.port)", (v) => parsePort(v))
    .addOption(
      new Option("--log-level <level>", "log level").choices([
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
        "silent",
      ]),
    )
    .option("--log-format <format>", "json or pretty (default: pretty on a terminal)")
    .action(
      async (
        options: { host?: string; port?: number; logLevel?: string; logFormat?: string },
        command: Command,
      ) => {
        const base = configFrom(command);
        const config = {
          ...base,
          server: {
            ...base.server,
            ...(options.host ? { host: options.host } : {}),
            ...(options.port !== undefined ? { port: options.port } : {}),
          },
          log: { level: (options.logLevel ?? base.log.level) as typeof base.log.level },
        };
        const logger = createLogger({
          level: config.log.level,
          ...(options.logFormat ? { pretty: options.logFormat === "pretty" } : {}),
        });
        const server = await startServer({ config, logger, adminToken: process.env["NINES_ADMIN_TOKEN"] });
        process.stdout.write(`nines is running at ${server.url}  (API docs: ${server.url}/api/docs)\n`);

        const shutdown = (signal: string) => {
          logger.info({ signal }, "shutting down: finishing in-flight requests");
          const timer = setTimeout(() => {
            logger.error("shutdown took too long; exiting");
            process.exit(1);
          }, config.server.shutdownTimeoutMs);
          timer.unref();
          server.close().then(
            () => logger.info("stopped"),
            (err: unknown) => {
              logger.error({ err }, "error during shutdown");
              process.exitCode = 1;
            },
          );
        };
        process.once("SIGTERM", () => shutdown("SIGTERM"));
        process.once("SIGINT", () => shutdown("SIGINT"));
      },
    );
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}
