import { SampleBatchCorruptError } from "./errors.js";

/** Samples as columns: `series[i]` indexes `ids`; the form a batch takes in the log and in memory. */
export interface SampleColumns {
  readonly ids: readonly string[];
  /** `ids` already encoded as the log keeps them (see {@link encodeIds}), when the builder has them. */
  readonly encodedIds?: Uint8Array;
  readonly series: Uint32Array;
  readonly ts: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

const FORMAT = 1;

/** Turns samples into columns with a dictionary of their SLO ids. */
export function toColumns(
  samples: readonly {
    readonly sloId: string;
    readonly ts: number;
    readonly good: number;
    readonly total: number;
  }[],
): SampleColumns {
  const n = samples.length;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const series = new Uint32Array(n);
  const ts = new Float64Array(n);
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = samples[i]!;
    let k = index.get(s.sloId);
    if (k === undefined) {
      k = ids.length;
      ids.push(s.sloId);
      index.set(s.sloId, k);
    }
    series[i] = k;
    ts[i] = s.ts;
    good[i] = s.good;
    total[i] = s.total;
  }
  return { ids, series, ts, good, total };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HEADER = 16;

/** A batch's ids as its binary form keeps them: UTF-8, separated by NUL. */
export function encodeIds(ids: readonly string[]): Buffer {
  return Buffer.from(ids.join("\u0000"), "utf8");
}

/**
 * The log's binary form of a batch, little endian and 8-byte aligned so that it reads back as typed
 * arrays with one copy: format (u8), 3 bytes padding, sample count n (u32), byte length of the ids
 * (u32), 4 bytes padding; ts, good and total (n f64 each); the id index of each sample (n u32);
 * the ids, UTF-8, separated by NUL.
 */
export function encodeBatch(c: SampleColumns): Buffer {
  const n = c.ts.length;
  const names = c.encodedIds ?? encodeIds(c.ids);
  const out = Buffer.alloc(HEADER + 28 * n + names.length);
  out.writeUInt8(FORMAT, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(names.length, 8);
  if (LITTLE_ENDIAN && out.byteOffset % 8 === 0) {
    const f = new Float64Array(out.buffer, out.byteOffset + HEADER, 3 * n);
    f.set(c.ts, 0);
    f.set(c.good, n);
    f.set(c.total, 2 * n);
    new Uint32Array(out.buffer, out.byteOffset + HEADER + 24 * n, n).set(c.series);
  } else {
    for (let i = 0; i < n; i++) {
      out.writeDoubleLE(c.ts[i]!, HEADER + 8 * i);
      out.writeDoubleLE(c.good[i]!, HEADER + 8 * (n + i));
      out.writeDoubleLE(c.total[i]!, HEADER + 8 * (2 * n + i));
      out.writeUInt32LE(c.series[i]!, HEADER + 24 * n + 4 * i);
    }
  }
  out.set(names, HEADER + 28 * n);
  return out;
}

export function decodeBatch(bytes: Uint8Array): SampleColumns {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (why: string) => new SampleBatchCorruptError(`sample batch is corrupt: ${why}`);
  if (b.length < HEADER || b.readUInt8(0) !== FORMAT) throw corrupt("unknown format");
  const n = b.readUInt32LE(4);
  const namesLength = b.readUInt32LE(8);
  if (HEADER + 28 * n + namesLength !== b.length) throw corrupt("length does not match the sample count");
  const ids = b.toString("utf8", HEADER + 28 * n).split("\u0000");
  let ts: Float64Array;
  let good: Float64Array;
  let total: Float64Array;
  let series: Uint32Array;
  if (LITTLE_ENDIAN) {
    // One copy into fresh (aligned) memory; the columns are views of it.
    const copy = new ArrayBuffer(28 * n);
    new Uint8Array(copy).set(b.subarray(HEADER, HEADER + 28 * n));
    ts = new Float64Array(copy, 0, n);
    good = new Float64Array(copy, 8 * n, n);
    total = new Float64Array(copy, 16 * n, n);
    series = new Uint32Array(copy, 24 * n, n);
  } else {
    ts = new Float64Array(n);
    good = new Float64Array(n);
    total = new Float64Array(n);
    series = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      ts[i] = b.readDoubleLE(HEADER + 8 * i);
      good[i] = b.readDoubleLE(HEADER + 8 * (n + i));
      total[i] = b.readDoubleLE(HEADER + 8 * (2 * n + i));
      series[i] = b.readUInt32LE(HEADER + 24 * n + 4 * i);
    }
  }
  for (let i = 0; i < n; i++) if (series[i]! >= ids.length) throw corrupt("id index out of range");
  return { ids, series, ts, good, total };
}
