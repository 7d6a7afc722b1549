import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the background connection copies the write-ahead log into the database, by default. */
const CHECKPOINT_EVERY_MS = 250;

export interface WalCheckpointerOptions {
  readonly onError: (message: string) => void;
  readonly everyMs?: number;
}

// Plain CommonJS for an eval worker: its own connection, a passive checkpoint on a timer. PASSIVE
// never waits for writers or readers; it copies what it can, syncing the log first and the
// database after (synchronous=NORMAL), so the main connection's next writer can restart the log.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
db.pragma("synchronous = NORMAL");
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.everyMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a SQLite database's write-ahead log from a worker thread, so that copying the log
 * into the database (megabytes, and two fsyncs, every thousand pages written) does not block the
 * event loop of the process that writes. The writing connection keeps a high automatic threshold
 * as a backstop (see createDatabase).
 */
export class WalCheckpointer {
  private readonly worker: Worker;

  constructor(path: string, { onError, everyMs = CHECKPOINT_EVERY_MS }: WalCheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER, { eval: true, workerData: { driver, path, everyMs } });
    this.worker.on("message", (message: string) => onError(message));
    this.worker.unref();
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage("close");
    await exited;
  }
}
