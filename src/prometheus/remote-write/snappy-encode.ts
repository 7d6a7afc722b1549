const MAX_OFFSET = 65_535;
const MIN_MATCH = 4;

function writeUvarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function writeLiteral(out: number[], input: Uint8Array, from: number, to: number): void {
  for (let start = from; start < to; start += 65_536) {
    const len = Math.min(65_536, to - start);
    const n = len - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 0x100) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >>> 8);
    for (let i = start; i < start + len; i++) out.push(input[i]!);
  }
}

function writeCopy(out: number[], offset: number, length: number): void {
  let rest = length;
  while (rest > 0) {
    const len = Math.min(rest, 64);
    if (len >= 4 && len <= 11 && offset < 2048) {
      out.push(1 | ((len - 4) << 2) | ((offset >>> 8) << 5), offset & 0xff);
    } else {
      out.push(2 | ((len - 1) << 2), offset & 0xff, offset >>> 8);
    }
    rest -= len;
  }
}

/**
 * Compresses bytes in snappy block format with a greedy 4-byte hash matcher (literals plus
 * 1- and 2-byte-offset copies). Meant for tests and benchmarks of the decoder, not for speed.
 */
export function snappyEncode(input: Uint8Array, opts: { readonly literalOnly?: boolean } = {}): Uint8Array {
  const out: number[] = [];
  writeUvarint(out, input.length);
  if (opts.literalOnly) {
    writeLiteral(out, input, 0, input.length);
    return Uint8Array.from(out);
  }
  const table = new Map<number, number>();
  let literalStart = 0;
  let i = 0;
  while (i + MIN_MATCH <= input.length) {
    const key = input[i]! | (input[i + 1]! << 8) | (input[i + 2]! << 16) | (input[i + 3]! << 24);
    const candidate = table.get(key);
    table.set(key, i);
    if (candidate !== undefined && i - candidate <= MAX_OFFSET) {
      let len = MIN_MATCH;
      while (i + len < input.length && input[candidate + len] === input[i + len]) len++;
      writeLiteral(out, input, literalStart, i);
      writeCopy(out, i - candidate, len);
      i += len;
      literalStart = i;
    } else {
      i++;
    }
  }
  writeLiteral(out, input, literalStart, input.length);
  return Uint8Array.from(out);
}
