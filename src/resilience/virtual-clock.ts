import type { CancelTimer, Clock } from "./clock.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock on virtual time for tests and simulations: timers fire only when the clock is
 * advanced, in time order, with pending promise callbacks run between them, so a simulated
 * minute takes milliseconds of real time.
 * @example const clock = new VirtualClock(); const p = sleep(clock, 1000); await clock.advance(1000);
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #heap: Timer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): CancelTimer {
    const timer: Timer = {
      at: this.#now + Math.max(0, delayMs),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#heap.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    await this.#runUntil(this.#now + ms);
  }

  /** Fires timers in order until none is left (or `limitMs` of virtual time has passed). */
  async runAll(limitMs = Number.POSITIVE_INFINITY): Promise<void> {
    await this.#runUntil(this.#now + limitMs, true);
  }

  async #runUntil(target: number, stopWhenIdle = false): Promise<void> {
    await flushMicrotasks();
    for (;;) {
      const next = this.#peek();
      if (next === undefined || next.at > target) break;
      this.#now = next.at;
      // Fire every timer due at this instant, then let the promises they settle run.
      for (let t = this.#peek(); t !== undefined && t.at === next.at; t = this.#peek()) {
        this.#pop();
        t.callback();
      }
      await flushMicrotasks();
    }
    if (!stopWhenIdle && Number.isFinite(target)) this.#now = Math.max(this.#now, target);
  }

  #peek(): Timer | undefined {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#pop();
    return this.#heap[0];
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Timer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
