import type { FastifyBaseLogger } from "fastify";
import type { BackgroundTask } from "./background.js";

/**
 * A background task that runs `work` every `everyMs` until its signal aborts; a failing run is
 * logged and the next one runs on schedule (one bad tick never stops evaluation).
 */
export function intervalTask(
  name: string,
  everyMs: number,
  work: () => Promise<unknown>,
  log: FastifyBaseLogger,
): BackgroundTask {
  return {
    name,
    start(signal) {
      const run = async () => {
        if (signal.aborted) return;
        try {
          await work();
        } catch (err) {
          log.error({ err, task: name }, "background run failed");
        }
        if (!signal.aborted) setTimeout(run, everyMs).unref();
      };
      setTimeout(run, 0).unref();
    },
  };
}
