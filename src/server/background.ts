import type { FastifyBaseLogger } from "fastify";
import type { LeaderElector } from "../db/leader.js";

/** Work that only the leader runs (evaluators, notification delivery). */
export interface BackgroundTask {
  readonly name: string;
  start(signal: AbortSignal): Promise<void> | void;
}

/**
 * Starts every task when this process becomes leader and aborts them when it stops being one,
 * so that exactly one replica does background work at a time.
 */
export function runWhileLeader(
  leader: LeaderElector,
  tasks: readonly BackgroundTask[],
  log: FastifyBaseLogger,
) {
  let controller: AbortController | undefined;
  leader.onChange((isLeader) => {
    if (isLeader && !controller) {
      controller = new AbortController();
      log.info(
        { tasks: tasks.map((t) => t.name) },
        "this process is now the leader: starting background work",
      );
      for (const task of tasks) {
        Promise.resolve(task.start(controller.signal)).catch((err: unknown) =>
          log.error({ err, task: task.name }, "background task failed"),
        );
      }
    } else if (!isLeader && controller) {
      log.warn("leadership lost: stopping background work");
      controller.abort();
      controller = undefined;
    }
  });
  return { stop: () => controller?.abort() };
}
