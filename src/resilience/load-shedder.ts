import type { AdaptiveLimit } from "./adaptive-limit.js";
import { type Clock, systemClock } from "./clock.js";
import { CRITICALITY_RANK, type Criticality } from "./criticality.js";
import { LoadShedError } from "./errors.js";
import type { ResilienceEvents, ShedEvent } from "./events.js";

export interface LoadShedderOptions {
  /** Name in shed events. */
  readonly name?: string;
  /** Fixed in-flight limit or an adaptive one ({@link aimdLimit}, {@link gradientLimit}). */
  readonly limit: number | AdaptiveLimit;
  /** Requests that may wait for a slot (default 0: reject as soon as the limit is reached). */
  readonly maxQueue?: number;
  /** A queued request waiting longer than this is shed (default 100 ms). */
  readonly maxQueueTimeMs?: number;
  /**
   * Share of the limit that only more critical requests may use (default 0.1): `default`
   * requests are admitted up to 90% of the limit, `sheddable` up to 80%, `critical` up to 100%.
   */
  readonly criticalHeadroom?: number;
  /** The `Retry-After` sent with a shed response, in seconds (default 1). */
  readonly retryAfterSeconds?: number;
  readonly clock?: Clock;
  readonly events?: ResilienceEvents;
}

/** Frees the slot; pass `dropped` when the request failed from overload (feeds adaptive limits). */
export type Release = (dropped?: boolean) => void;

interface Waiter {
  readonly criticality: Criticality;
  readonly rank: number;
  readonly resolve: (release: Release) => void;
  readonly reject: (error: unknown) => void;
  cancel: () => void;
}

/** The error of a shed request, with what a 503 response needs. */
export type LoadShedErrorInstance = InstanceType<typeof LoadShedError> & {
  readonly retryAfterSeconds: number;
};

/**
 * Server-side load shedding (SRE book ch. 21 and 22, "Load shedding and graceful degradation"):
 * a concurrency limiter that rejects early when in-flight work or queue time passes a limit.
 * Queued requests are admitted highest criticality first, and a full queue evicts a lower
 * criticality request to make room for a higher one, so critical requests are shed last.
 * @example const shedder = new LoadShedder({ limit: 64, maxQueue: 64, maxQueueTimeMs: 50 });
 * const release = await shedder.acquire("default"); try { ... } finally { release(); }
 */
export class LoadShedder {
  readonly name: string;
  readonly retryAfterSeconds: number;
  readonly #limit: number | AdaptiveLimit;
  readonly #maxQueue: number;
  readonly #maxQueueTimeMs: number;
  readonly #clock: Clock;
  readonly #events: ResilienceEvents | undefined;
  readonly #headroom: number;
  readonly #queue: Waiter[] = [];
  #inFlight = 0;

  constructor(options: LoadShedderOptions) {
    this.name = options.name ?? "server";
    this.#limit = options.limit;
    this.#maxQueue = options.maxQueue ?? 0;
    this.#maxQueueTimeMs = options.maxQueueTimeMs ?? 100;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.#headroom = options.criticalHeadroom ?? 0.1;
    this.#clock = options.clock ?? systemClock;
    this.#events = options.events;
  }

  get inFlight(): number {
    return this.#inFlight;
  }
  get queued(): number {
    return this.#queue.length;
  }
  get limit(): number {
    return typeof this.#limit === "number" ? this.#limit : Math.max(1, this.#limit.limit);
  }

  /** Takes a slot without waiting, or returns undefined (and emits a shed event) when none is free. */
  tryAcquire(criticality: Criticality = "default"): Release | undefined {
    if (this.#hasRoom(CRITICALITY_RANK[criticality]) && this.#queue.length === 0) return this.#admit();
    this.#emit("concurrency", criticality);
    return undefined;
  }

  /** Takes a slot, waiting in the queue up to `maxQueueTimeMs`; rejects with {@link LoadShedError} when shed. */
  acquire(criticality: Criticality = "default", signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const rank = CRITICALITY_RANK[criticality];
    // Queued requests of the same or higher criticality go first; a more critical one may pass them.
    if (this.#hasRoom(rank) && (this.#queue[0]?.rank ?? -1) < rank) return Promise.resolve(this.#admit());
    if (this.#queue.length >= this.#maxQueue) {
      const lowest = this.#queue[this.#queue.length - 1];
      if (lowest === undefined || lowest.rank >= rank) {
        return Promise.reject(this.#shed(this.#maxQueue === 0 ? "concurrency" : "queue-full", criticality));
      }
      this.#queue.pop();
      lowest.cancel();
      lowest.reject(this.#shed("evicted", lowest.criticality));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { criticality, rank, resolve, reject, cancel: () => {} };
      const onAbort = () => {
        this.#remove(waiter);
        waiter.cancel();
        reject(signal?.reason);
      };
      const cancelTimer = this.#clock.setTimer(this.#maxQueueTimeMs, () => {
        this.#remove(waiter);
        signal?.removeEventListener("abort", onAbort);
        reject(this.#shed("queue-time", criticality));
      });
      waiter.cancel = () => {
        cancelTimer();
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      // Keep the queue sorted by rank (highest first), FIFO within a rank.
      let i = this.#queue.length;
      while (i > 0 && this.#queue[i - 1]!.rank < rank) i--;
      this.#queue.splice(i, 0, waiter);
    });
  }

  #admit(): Release {
    this.#inFlight++;
    const started = this.#clock.now();
    const inFlightAtStart = this.#inFlight;
    let released = false;
    return (dropped = false) => {
      if (released) return;
      released = true;
      this.#inFlight--;
      if (typeof this.#limit !== "number")
        this.#limit.update(this.#clock.now() - started, inFlightAtStart, dropped);
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#hasRoom(this.#queue[0]!.rank)) {
      const next = this.#queue.shift()!;
      next.cancel();
      next.resolve(this.#admit());
    }
  }

  #hasRoom(rank: number): boolean {
    const limit = this.limit;
    const share = 1 - this.#headroom * (CRITICALITY_RANK.critical - rank);
    return this.#inFlight < Math.max(1, Math.floor(limit * share));
  }

  #remove(waiter: Waiter): void {
    const i = this.#queue.indexOf(waiter);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  #shed(reason: ShedEvent["reason"], criticality: Criticality): LoadShedErrorInstance {
    this.#emit(reason, criticality);
    const error = new LoadShedError(
      `server is overloaded (${reason}); retry after ${this.retryAfterSeconds} s`,
      {
        reason,
        criticality,
      },
    );
    return Object.assign(error, { retryAfterSeconds: this.retryAfterSeconds });
  }

  #emit(reason: ShedEvent["reason"], criticality: Criticality): void {
    this.#events?.emitShed({
      name: this.name,
      reason,
      criticality,
      inFlight: this.#inFlight,
      queued: this.#queue.length,
      limit: this.limit,
    });
  }
}
