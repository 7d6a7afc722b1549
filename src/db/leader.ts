import { EventEmitter } from "node:events";
import pg from "pg";

/**
 * Decides which process runs background work (evaluators, notification delivery). Only the
 * leader runs it; the others serve the API.
 */
export interface LeaderElector {
  isLeader(): boolean;
  /** Called with true when this process becomes leader and false when it stops being one. */
  onChange(listener: (leader: boolean) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** SQLite: one process owns the database file, so it always leads. */
export function singleProcessLeader(): LeaderElector {
  const events = new EventEmitter();
  let leader = false;
  return {
    isLeader: () => leader,
    onChange: (listener) => void events.on("change", listener),
    async start() {
      leader = true;
      events.emit("change", true);
    },
    async stop() {
      if (leader) events.emit("change", false);
      leader = false;
    },
  };
}

/** A fixed 64-bit key for pg_try_advisory_lock: "nines" leader. */
export const LEADER_LOCK_KEY = 0x6e696e6573n;

export interface AdvisoryLockOptions {
  readonly url: string;
  readonly retryIntervalMs: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * PostgreSQL: the leader holds a session-level advisory lock on its own connection. When the
 * leader dies its connection closes, PostgreSQL drops the lock, and the next follower that tries
 * (every `retryIntervalMs`) takes over.
 */
export function advisoryLockLeader(options: AdvisoryLockOptions): LeaderElector {
  const events = new EventEmitter();
  let leader = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const setLeader = (value: boolean) => {
    if (value === leader) return;
    leader = value;
    events.emit("change", value);
  };

  const dropClient = () => {
    const old = client;
    client = undefined;
    setLeader(false);
    old?.end().catch(() => {});
  };

  const attempt = async () => {
    try {
      if (!client) {
        const fresh = new pg.Client({ connectionString: options.url, application_name: "nines-leader" });
        fresh.on("error", (error) => {
          options.onError?.(error);
          if (client === fresh) dropClient();
        });
        await fresh.connect();
        client = fresh;
      }
      if (leader) {
        await client.query("select 1");
        return;
      }
      const result = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [
        LEADER_LOCK_KEY.toString(),
      ]);
      setLeader(result.rows[0]?.locked === true);
    } catch (error) {
      options.onError?.(error);
      dropClient();
    }
  };

  const loop = async () => {
    await attempt();
    if (!stopped) timer = setTimeout(loop, options.retryIntervalMs);
  };

  return {
    isLeader: () => leader,
    onChange: (listener) => void events.on("change", listener),
    async start() {
      stopped = false;
      await loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      if (current && leader) {
        await current.query("select pg_advisory_unlock($1)", [LEADER_LOCK_KEY.toString()]).catch(() => {});
      }
      setLeader(false);
      await current?.end().catch(() => {});
    },
  };
}
