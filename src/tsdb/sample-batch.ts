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

const HEADER = 16;

/** A batch's ids as its binary form keeps them: UTF-8, separated by NUL. */
export function encodeIds(ids: readonly string[]): Buffer {
  return Buffer.from(ids.join("\u0000"), "utf8");
}

/**
 * The log's binary form of a batch, little endian. Header (16 bytes): format (u8, 2), flags (u8),
 * 2 bytes padding, sample count n (u32), byte length of the ids (u32), 4 bytes padding. Then ts:
 * n f64, or one when every sample has the same timestamp (flag 1, a scrape's batch); good and
 * total: n u32 each when every count is a whole number below 2^32 (flag 2), else n f64 each; the id
 * index of each sample: n u16 when there are at most 65,536 ids (flag 4), else n u32; the ids,
 * UTF-8, separated by NUL. A scrape's columns take 10 bytes a sample instead of format 1's 28 (ts,
 * good and total as f64, the index as u32, no flags): bytes SQLite writes to its log, syncs and
 * checkpoints. Format 1 is still read.
 */
export function encodeBatch(c: SampleColumns): Buffer {
  const n = c.ts.length;
  const names = c.encodedIds ?? encodeIds(c.ids);
  const layout = layoutOf(
    (n > 0 && allEqual(c.ts) ? SAME_TS : 0) |
      (wholeBelow2p32(c.good) && wholeBelow2p32(c.total) ? WHOLE_COUNTS : 0) |
      (c.ids.length <= 0x10000 ? SHORT_SERIES : 0),
    n,
  );
  const out = Buffer.alloc(HEADER + layout.bytes + names.length);
  out.writeUInt8(FORMAT_COMPACT, 0);
  out.writeUInt8(layout.flags, 1);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(names.length, 8);
  if (LITTLE_ENDIAN && out.byteOffset % 8 === 0 && out.buffer instanceof ArrayBuffer)
    writeColumns(c, layout, out.buffer, out.byteOffset + HEADER);
  else writeColumnsByView(c, layout, new DataView(out.buffer, out.byteOffset + HEADER, layout.bytes));
  out.set(names, HEADER + layout.bytes);
  return out;
}

export function decodeBatch(bytes: Uint8Array): SampleColumns {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = b.length < HEADER ? 0 : b.readUInt8(0);
  if (format !== FORMAT_COMPACT && format !== FORMAT_FLAT) throw corrupt("unknown format");
  const n = b.readUInt32LE(4);
  const layout = layoutOf(format === FORMAT_FLAT ? 0 : b.readUInt8(1), n);
  const namesLength = b.readUInt32LE(8);
  if (HEADER + layout.bytes + namesLength !== b.length)
    throw corrupt("length does not match the sample count");
  const ids = b.toString("utf8", HEADER + layout.bytes).split("\u0000");
  let columns: Omit<SampleColumns, "ids">;
  if (LITTLE_ENDIAN) {
    // One copy into fresh (aligned) memory, read through views of it.
    const copy = new ArrayBuffer(layout.bytes);
    new Uint8Array(copy).set(b.subarray(HEADER, HEADER + layout.bytes));
    columns = readColumns(layout, n, copy);
  } else columns = readColumnsByView(layout, n, new DataView(b.buffer, b.byteOffset + HEADER, layout.bytes));
  const { series } = columns;
  for (let i = 0; i < n; i++) if (series[i]! >= ids.length) throw corrupt("id index out of range");
  return { ids, ...columns };
}

type Layout = ReturnType<typeof layoutOf>;

/** The columns as typed arrays over `buffer` from `at` (8-byte aligned, little-endian platform). */
function writeColumns(c: SampleColumns, layout: Layout, buffer: ArrayBuffer, at: number): void {
  const n = c.ts.length;
  if (layout.flags & SAME_TS) new Float64Array(buffer, at, 1)[0] = c.ts[0]!;
  else new Float64Array(buffer, at, n).set(c.ts);
  if (layout.flags & WHOLE_COUNTS) {
    // Loops, not set(): a set() that converts element types goes value by value through the runtime.
    const good = new Uint32Array(buffer, at + layout.good, n);
    const total = new Uint32Array(buffer, at + layout.total, n);
    for (let i = 0; i < n; i++) {
      good[i] = c.good[i]!;
      total[i] = c.total[i]!;
    }
  } else {
    new Float64Array(buffer, at + layout.good, n).set(c.good);
    new Float64Array(buffer, at + layout.total, n).set(c.total);
  }
  if (layout.flags & SHORT_SERIES) {
    const series = new Uint16Array(buffer, at + layout.series, n);
    for (let i = 0; i < n; i++) series[i] = c.series[i]!;
  } else new Uint32Array(buffer, at + layout.series, n).set(c.series);
}

/** {@link writeColumns} value by value, for a big-endian platform or an unaligned buffer. */
function writeColumnsByView(c: SampleColumns, layout: Layout, view: DataView): void {
  const { flags } = layout;
  if (flags & SAME_TS) view.setFloat64(0, c.ts[0]!, true);
  for (let i = 0; i < c.ts.length; i++) {
    if (!(flags & SAME_TS)) view.setFloat64(8 * i, c.ts[i]!, true);
    if (flags & WHOLE_COUNTS) {
      view.setUint32(layout.good + 4 * i, c.good[i]!, true);
      view.setUint32(layout.total + 4 * i, c.total[i]!, true);
    } else {
      view.setFloat64(layout.good + 8 * i, c.good[i]!, true);
      view.setFloat64(layout.total + 8 * i, c.total[i]!, true);
    }
    if (flags & SHORT_SERIES) view.setUint16(layout.series + 2 * i, c.series[i]!, true);
    else view.setUint32(layout.series + 4 * i, c.series[i]!, true);
  }
}

/** The columns from their bytes in `copy` (aligned, little-endian platform): views, or widened copies. */
function readColumns(layout: Layout, n: number, copy: ArrayBuffer): Omit<SampleColumns, "ids"> {
  const { flags } = layout;
  const whole = (flags & WHOLE_COUNTS) !== 0;
  return {
    ts:
      flags & SAME_TS
        ? new Float64Array(n).fill(new Float64Array(copy, 0, 1)[0]!)
        : new Float64Array(copy, 0, n),
    good: whole
      ? new Float64Array(new Uint32Array(copy, layout.good, n))
      : new Float64Array(copy, layout.good, n),
    total: whole
      ? new Float64Array(new Uint32Array(copy, layout.total, n))
      : new Float64Array(copy, layout.total, n),
    series:
      flags & SHORT_SERIES
        ? new Uint32Array(new Uint16Array(copy, layout.series, n))
        : new Uint32Array(copy, layout.series, n),
  };
}

/** {@link readColumns} value by value, for a big-endian platform. */
function readColumnsByView(layout: Layout, n: number, view: DataView): Omit<SampleColumns, "ids"> {
  const { flags } = layout;
  const ts = new Float64Array(n);
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  const series = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = view.getFloat64(flags & SAME_TS ? 0 : 8 * i, true);
    if (flags & WHOLE_COUNTS) {
      good[i] = view.getUint32(layout.good + 4 * i, true);
      total[i] = view.getUint32(layout.total + 4 * i, true);
    } else {
      good[i] = view.getFloat64(layout.good + 8 * i, true);
      total[i] = view.getFloat64(layout.total + 8 * i, true);
    }
    series[i] =
      flags & SHORT_SERIES
        ? view.getUint16(layout.series + 2 * i, true)
        : view.getUint32(layout.series + 4 * i, true);
  }
  return { ts, good, total, series };
}

/** Where each column of a batch of `n` samples starts after the header, for these flags, and their bytes in all. */
function layoutOf(flags: number, n: number) {
  const good = flags & SAME_TS ? 8 : 8 * n;
  const countBytes = (flags & WHOLE_COUNTS ? 4 : 8) * n;
  const total = good + countBytes;
  const series = total + countBytes;
  return { flags, good, total, series, bytes: series + (flags & SHORT_SERIES ? 2 : 4) * n };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const corrupt = (why: string) => new SampleBatchCorruptError(`sample batch is corrupt: ${why}`);

/** Format 1: ts, good and total as n f64 each, the id indexes as n u32 (no flags). */
const FORMAT_FLAT = 1;
const FORMAT_COMPACT = 2;
const SAME_TS = 1;
const WHOLE_COUNTS = 2;
const SHORT_SERIES = 4;

function allEqual(values: Float64Array): boolean {
  const first = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  // NaN is not equal to itself: such a column (refused before it gets here) is kept in full.
  return !Number.isNaN(first);
}

function wholeBelow2p32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v >>> 0 || (v === 0 && 1 / v < 0)) return false;
  }
  return true;
}
