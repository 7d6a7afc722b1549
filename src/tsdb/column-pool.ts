/** The ts, good and total columns of one batch: three views of one buffer from a {@link ColumnPool}. */
export interface PooledColumns {
  readonly ts: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

/** Smallest capacity handed out, in samples; capacities are powers of two from here on. */
const MIN_CAPACITY = 64;
/** Free bytes kept per capacity, at most (and at least 4 buffers). */
const KEEP_BYTES = 4 << 20;

/**
 * Reusable memory for the sample columns of the batches a replica builds from push bodies.
 *
 * A typed array's memory lives outside V8's heap and is freed only once V8 has collected the array.
 * Hundreds of batches a second each allocating their columns anew made V8 start a full (major)
 * collection several times a second for "external memory pressure": marking the heap of 10,000
 * SLOs took about a third of the server's CPU in the HTTP ingest benchmark. Buffers taken here go
 * back with {@link give} once the batch's last reader is done with them; at most 4 MB of free
 * buffers are kept per size class.
 */
export class ColumnPool {
  /** Free buffers by capacity class (log2 of the capacity in samples). */
  private readonly free: Float64Array[][] = [];

  /** Columns for `count` samples. Their contents are whatever the last user left: write every cell. */
  take(count: number): PooledColumns {
    const c = classOf(count);
    const buffer = this.free[c]?.pop() ?? new Float64Array(3 * 2 ** c);
    const capacity = buffer.length / 3;
    return {
      ts: buffer.subarray(0, count),
      good: buffer.subarray(capacity, capacity + count),
      total: buffer.subarray(2 * capacity, 2 * capacity + count),
    };
  }

  /** Returns columns from {@link take}: no one may read or write them afterwards. */
  give(columns: PooledColumns): void {
    const buffer = new Float64Array(columns.ts.buffer);
    const capacity = buffer.length / 3;
    const c = Math.log2(capacity);
    if (!Number.isInteger(c) || capacity < MIN_CAPACITY || columns.ts.byteOffset !== 0) return;
    this.free[c] ??= [];
    const list = this.free[c];
    if (list.length < Math.max(4, KEEP_BYTES / buffer.byteLength)) list.push(buffer);
  }
}

function classOf(count: number): number {
  let c = Math.log2(MIN_CAPACITY);
  while (2 ** c < count) c++;
  return c;
}
