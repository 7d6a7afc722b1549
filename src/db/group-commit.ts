/**
 * Group commit: calls that arrive while a batch is being written wait and are written together in
 * the next one, so N concurrent requests cost one transaction (and one disk sync) instead of N
 * queued ones. `write` gets the items of every waiting call in arrival order and must return one
 * result per item, in the same order; each caller receives the results of its own items. If a
 * batch fails, every call in it fails (nothing of it was committed).
 */
export function groupCommit<I, O>(
  write: (items: readonly I[]) => Promise<readonly O[]>,
  maxItems = 2_000,
): (items: readonly I[]) => Promise<O[]> {
  interface Waiting {
    readonly items: readonly I[];
    resolve(results: O[]): void;
    reject(error: unknown): void;
  }
  let queue: Waiting[] = [];
  let writing = false;

  const takeBatch = (): Waiting[] => {
    let count = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || count + (queue[n]?.items.length ?? 0) <= maxItems)) {
      count += queue[n]?.items.length ?? 0;
      n++;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    return batch;
  };

  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = takeBatch();
      try {
        const results = await write(batch.flatMap((w) => w.items));
        let offset = 0;
        for (const w of batch) {
          w.resolve(results.slice(offset, offset + w.items.length));
          offset += w.items.length;
        }
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  };

  return (items) =>
    new Promise<O[]>((resolve, reject) => {
      queue.push({ items, resolve, reject });
      if (!writing) void drain();
    });
}
