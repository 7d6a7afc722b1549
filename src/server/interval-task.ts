import type { FastifyBaseLogger } from "fastify";
import type { BackgroundTask } from "./background.js";

export interface IntervalTask extends BackgroundTask {
  /**
   * Runs the work again as soon as the current run (if any) ends, instead of at the next interval:
   * for work that new data is waiting on (a page to notify). Does nothing while the task is stopped.
   */
  wake(): void;
}

/**
 * A background task that runs `work` every `everyMs` until its signal aborts; a failing run is
 * logged and the next one runs on schedule (one bad tick never stops evaluation).
 */
export function intervalTask(
  name: string,
  everyMs: number,
  work: () => Promise<unknown>,
  log: FastifyBaseLogger,
): IntervalTask {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let runNow: (() => void) | undefined;
  return {
    name,
    start(signal) {
      const run = async () => {
        timer = undefined;
        if (signal.aborted) return;
        running = true;
        again = false;
        try {
          await work();
        } catch (err) {
          log.error({ err, task: name }, "background run failed");
        }
        running = false;
        if (!signal.aborted) timer = setTimeout(run, again ? 0 : everyMs).unref();
      };
      runNow = () => {
        if (signal.aborted) return;
        if (running) {
          again = true;
        } else if (timer !== undefined) {
          clearTimeout(timer);
          timer = setTimeout(run, 0).unref();
        }
      };
      signal.addEventListener("abort", () => {
        if (timer !== undefined) clearTimeout(timer);
        runNow = undefined;
      });
      timer = setTimeout(run, 0).unref();
    },
    wake() {
      runNow?.();
    },
  };
}
