import { parentPort } from "node:worker_threads";
import { backtestArrays } from "./backtest.js";
import type { BacktestJobMessage } from "./backtest-many.js";

// A worker of backtestMany: backtests the jobs it is sent, one at a time, and posts each result.
parentPort?.on("message", (job: BacktestJobMessage) => {
  const result = backtestArrays(job.slo, job.ts, job.good, job.total, job.options);
  parentPort?.postMessage({ id: job.id, result });
});
