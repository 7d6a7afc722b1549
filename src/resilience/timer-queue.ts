import type { CancelTimer } from "./clock.js";

const MAX_DELAY_MS = 2_147_483_647;

interface Entry {
  readonly at: number;
  readonly callback: () => void;
  live: boolean;
}

/**
 * Many logical timers on one Node timer. Deadlines and attempt timeouts are set on every call
 * and nearly always cancelled, and a `setTimeout`/`clearTimeout` pair costs more than the rest
 * of a successful call; here a cancel only flags its entry (cancelled entries are compacted away).
 * The Node timer is unref'd: watchdogs guard work that keeps the process alive by itself.
 */
export class TimerQueue {
  readonly #now: () => number;
  #heap: Entry[] = [];
  #live = 0;
  #handle: ReturnType<typeof setTimeout> | undefined;
  #armedAt = Number.POSITIVE_INFINITY;

  constructor(now: () => number) {
    this.#now = now;
  }

  set(delayMs: number, callback: () => void): CancelTimer {
    const entry: Entry = { at: this.#now() + Math.max(0, delayMs), callback, live: true };
    this.#push(entry);
    this.#live++;
    if (entry.at < this.#armedAt) this.#arm(entry.at);
    return () => {
      if (!entry.live) return;
      entry.live = false;
      this.#live--;
      if (this.#heap.length > 64 && this.#heap.length > 4 * this.#live) this.#compact();
    };
  }

  #arm(at: number): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#armedAt = at;
    // Node fires at once for delays past 2^31 - 1 ms; a longer wait re-arms when it fires.
    this.#handle = setTimeout(() => this.#fire(), Math.min(MAX_DELAY_MS, Math.max(0, at - this.#now())));
    this.#handle.unref();
  }

  #fire(): void {
    this.#handle = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = this.#now();
    for (let top = this.#heap[0]; top !== undefined && (!top.live || top.at <= now); top = this.#heap[0]) {
      this.#pop();
      if (top.live) {
        top.live = false;
        this.#live--;
        top.callback();
      }
    }
    const next = this.#heap[0];
    if (next !== undefined) this.#arm(next.at);
  }

  #compact(): void {
    const live = this.#heap.filter((e) => e.live);
    live.sort((a, b) => a.at - b.at);
    this.#heap = live;
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && heap[r]!.at < heap[l]!.at ? r : l;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
