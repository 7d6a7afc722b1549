import { close, fdatasync, openSync } from "node:fs";

/** Flushes a file to disk off the main thread. */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasyncOnPool: SyncFile = (fd) =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Group fsync of a SQLite write-ahead log. SQLite runs with `synchronous = NORMAL` (WAL frames
 * are written at commit, synced only at checkpoints), and a writer awaits {@link sync} before it
 * acknowledges anything: that is `synchronous = FULL`'s guarantee, but the fdatasync runs on
 * libuv's thread pool instead of blocking the event loop, and one sync covers every commit made
 * before it started. A commit made while a sync runs waits for the next one.
 */
export class WalSync {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly walPath: string,
    private readonly syncFile: SyncFile = fdatasyncOnPool,
  ) {}

  /** Resolves once every commit made before this call is on disk. */
  sync(): Promise<void> {
    if (this.running === undefined) return this.start();
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  /** Waits for syncs in flight, then closes the log's file descriptor. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.running, this.queued]);
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // The log exists once the connection runs in WAL mode and has written; it lives as long as the connection.
    this.fd ??= openSync(this.walPath, "r");
    const running = this.syncFile(this.fd).finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }
}
