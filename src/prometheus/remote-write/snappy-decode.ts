import { RemoteWriteSnappyError, RemoteWriteTooLargeError } from "../errors.js";

/** Largest decompressed body accepted by default (Prometheus' own remote-write limit is 32 MiB too). */
export const DEFAULT_MAX_DECODED_BYTES = 32 * 1024 * 1024;

function fail(message: string): never {
  throw new RemoteWriteSnappyError(`snappy: ${message}`);
}

/** Reads the uvarint length preamble (at most 5 bytes, a 32-bit value). */
function readPreamble(input: Uint8Array): { readonly length: number; readonly pos: number } {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    const b = input[i];
    if (b === undefined) fail("truncated length preamble");
    length += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) {
      if (length > 0xffffffff) fail("length preamble exceeds 32 bits");
      return { length, pos: i + 1 };
    }
  }
  return fail("length preamble longer than 5 bytes");
}

/**
 * Decompresses snappy block format (github.com/google/snappy, format_description.txt), the
 * encoding of Prometheus remote-write bodies. Every read is bounds-checked; corrupt or truncated
 * input throws NINES_ERR_REMOTEWRITE_SNAPPY, a declared size above `maxBytes` throws
 * NINES_ERR_REMOTEWRITE_TOO_LARGE before anything is allocated.
 */
export function snappyDecode(input: Uint8Array, maxBytes = DEFAULT_MAX_DECODED_BYTES): Uint8Array {
  const { length, pos: start } = readPreamble(input);
  if (length > maxBytes) {
    throw new RemoteWriteTooLargeError(
      `remote-write body declares ${length} bytes, above the ${maxBytes}-byte limit`,
    );
  }
  const out = new Uint8Array(length);
  let pos = start;
  let op = 0;
  const end = input.length;
  while (pos < end) {
    const tag = input[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (pos + bytes > end) fail("truncated literal length");
        len = 0;
        for (let i = 0; i < bytes; i++) len += input[pos + i]! * 2 ** (8 * i);
        pos += bytes;
      }
      len += 1;
      if (pos + len > end) fail("literal runs past the end of the input");
      if (op + len > length) fail("literal runs past the declared length");
      if (len > 16) {
        out.set(input.subarray(pos, pos + len), op);
        pos += len;
        op += len;
      } else {
        for (let i = 0; i < len; i++) out[op++] = input[pos++]!;
      }
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos + 1 > end) fail("truncated copy");
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | input[pos]!;
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > end) fail("truncated copy");
      len = 1 + (tag >>> 2);
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) fail("truncated copy");
      len = 1 + (tag >>> 2);
      offset =
        input[pos]! + input[pos + 1]! * 0x100 + input[pos + 2]! * 0x10000 + input[pos + 3]! * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > op) fail(`copy offset ${offset} outside the ${op} bytes decoded so far`);
    if (op + len > length) fail("copy runs past the declared length");
    if (offset >= len && len > 16) {
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      // Short or overlapping copies (an overlap repeats the last `offset` bytes) go byte by byte.
      for (let i = 0; i < len; i++, op++) out[op] = out[op - offset]!;
    }
  }
  if (op !== length) fail(`decoded ${op} bytes but the preamble declares ${length}`);
  return out;
}
