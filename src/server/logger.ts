import pino, { type Logger, type LoggerOptions } from "pino";
import pretty from "pino-pretty";

/** Paths that may carry secrets; pino replaces their values before anything is written. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "token",
  "*.token",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "databaseUrl",
];

export interface LoggerSettings {
  readonly level: string;
  /** Human-readable output; defaults to whether stdout is a terminal. */
  readonly pretty?: boolean;
  readonly destination?: NodeJS.WritableStream;
}

/** JSON logs for machines; pretty lines when a person watches the terminal. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { service: "nines" },
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactQuery(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
  };
  const usePretty = settings.pretty ?? process.stdout.isTTY === true;
  if (usePretty)
    return pino(
      options,
      pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" }),
    );
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** Removes secrets passed in a query string (`?token=…`) before a URL reaches the log. */
export function redactQuery(url: string): string {
  return url.replace(/([?&](?:token|secret|password)=)[^&]*/gi, "$1[redacted]");
}
