import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type BacktestOptions, type BacktestResult, backtestArrays } from "./backtest.js";
import type { Slo } from "./model.js";

/** One SLO to backtest with its samples in arrays (see {@link backtestArrays}). */
export interface BacktestJob {
  readonly slo: Slo;
  readonly ts: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
  /** Evaluation tick (default 30 s), sample kind and tiers, as in {@link backtestArrays}. */
  readonly options?: Pick<BacktestOptions, "tickMs" | "kind" | "tiers">;
}

/** A job as sent to a worker. */
export interface BacktestJobMessage extends BacktestJob {
  readonly id: number;
}

export interface BacktestManyOptions {
  /** Worker threads; default the available parallelism. 0 backtests on the calling thread. */
  readonly workers?: number;
}

// Run from TypeScript sources (tests, benchmarks), the worker registers tsx before loading them.
const fromSource = import.meta.url.endsWith(".ts");
const workerUrl = new URL(fromSource ? "./backtest-worker.ts" : "./backtest-worker.js", import.meta.url);

function startWorker(): Worker {
  if (!fromSource) return new Worker(workerUrl);
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * Backtests many SLOs on worker threads, results in the order of `jobs`. Jobs are taken from the
 * iterable only as workers free up (at most two in flight per worker), so a caller can generate or
 * read each SLO's samples lazily. Sample arrays on an ArrayBuffer are moved to the worker, not
 * copied (each such job needs arrays of its own); arrays on a SharedArrayBuffer are shared, so many
 * jobs can read the same samples without a copy.
 */
export async function backtestMany(
  jobs: Iterable<BacktestJob>,
  options: BacktestManyOptions = {},
): Promise<BacktestResult[]> {
  const count = Math.max(0, Math.floor(options.workers ?? availableParallelism()));
  const results: BacktestResult[] = [];
  if (count === 0) {
    for (const j of jobs) results.push(backtestArrays(j.slo, j.ts, j.good, j.total, j.options));
    return results;
  }
  const it = jobs[Symbol.iterator]();
  const workers = Array.from({ length: count }, () => startWorker());
  let next = 0;
  let exhausted = false;
  try {
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const feed = (w: Worker): void => {
        if (exhausted) return;
        const step = it.next();
        if (step.done) {
          exhausted = true;
          return;
        }
        const j = step.value;
        const message: BacktestJobMessage = { id: next++, ...j };
        inFlight++;
        const moved = new Set(
          [j.ts.buffer, j.good.buffer, j.total.buffer].filter((b) => b instanceof ArrayBuffer),
        );
        w.postMessage(message, [...moved]);
      };
      for (const w of workers) {
        w.on("message", (m: { id: number; result: BacktestResult }) => {
          results[m.id] = m.result;
          inFlight--;
          feed(w);
          if (exhausted && inFlight === 0) resolve();
        });
        w.on("error", reject);
        feed(w);
        feed(w);
      }
      if (exhausted && inFlight === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
