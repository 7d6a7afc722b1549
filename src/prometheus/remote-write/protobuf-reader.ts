import { RemoteWriteProtobufError } from "../errors.js";

const ASCII_RUN_LIMIT = 64;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(message: string): never {
  throw new RemoteWriteProtobufError(`protobuf: ${message}`);
}

/**
 * A minimal protobuf wire-format reader over one byte range (varint, fixed64, length-delimited;
 * groups are rejected). Every read is bounds-checked and advances, so malformed input ends in
 * NINES_ERR_REMOTEWRITE_PROTOBUF, never in an out-of-range read or a loop that does not progress.
 */
export class ProtobufReader {
  readonly buf: Uint8Array;
  pos = 0;
  /** End of the message being read; {@link enter} narrows it to an embedded message. */
  end: number;
  private readonly view: DataView;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.end = buf.length;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * Reads a length prefix and narrows reading to the embedded message it covers; returns the
   * outer end, to pass to {@link leave} once the embedded message is read.
   */
  enter(): number {
    const [start, end] = this.bytes();
    const outer = this.end;
    this.pos = start;
    this.end = end;
    return outer;
  }

  /** Returns to the enclosing message after {@link enter}; the embedded message must be fully read. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** An unsigned varint that fits in 2^53 (tags, lengths, non-negative int64 values). */
  uint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // Up to 4 bytes (28 bits) in small-integer arithmetic, which covers tags and lengths.
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) fail("truncated varint");
      const b = buf[pos++]!;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
    }
    let mul = 268_435_456; // 2^28
    for (let i = 4; i < 10; i++) {
      if (pos >= end) fail("truncated varint");
      const b = buf[pos++]!;
      value += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      mul *= 128;
    }
    return fail("varint longer than 10 bytes");
  }

  /** A two's-complement int64 varint (a Prometheus timestamp in ms), exact within ±2^53. */
  int64(): number {
    const start = this.pos;
    const value = this.uint();
    if (this.pos - start < 8) return value;
    // 8+ bytes: redo it exactly with BigInt (negative numbers are always 10 bytes long).
    let big = 0n;
    for (let i = start, shift = 0n; i < this.pos; i++, shift += 7n)
      big |= BigInt(this.buf[i]! & 0x7f) << shift;
    return Number(BigInt.asIntN(64, big));
  }

  double(): number {
    if (this.pos + 8 > this.end) fail("truncated fixed64");
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the [start, end) of the bytes it covers, moving past them. */
  bytes(): readonly [number, number] {
    const len = this.uint();
    const start = this.pos;
    if (len > this.end - start) fail(`length ${len} runs past the end of the message`);
    this.pos = start + len;
    return [start, start + len];
  }

  string(): string {
    const [start, end] = this.bytes();
    if (end - start <= ASCII_RUN_LIMIT) {
      let s = "";
      for (let i = start; i < end; i++) {
        const c = this.buf[i]!;
        if (c >= 0x80) return this.utf8(start, end);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.utf8(start, end);
  }

  private utf8(start: number, end: number): string {
    try {
      return utf8.decode(this.buf.subarray(start, end));
    } catch {
      return fail("string is not valid UTF-8");
    }
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uint();
        return;
      case 1:
        if (this.pos + 8 > this.end) fail("truncated fixed64");
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        if (this.pos + 4 > this.end) fail("truncated fixed32");
        this.pos += 4;
        return;
      default:
        fail(`unsupported wire type ${wireType}`);
    }
  }

  /** A field tag (`field number << 3 | wire type`); use {@link fieldOf} and `& 7` to split it. */
  tag(): number {
    const t = this.uint();
    if (t < 8) fail("field number 0");
    return t;
  }

  /** Fails unless the field has the wire type the schema expects. */
  expect(wireType: number, expected: number, what: string): void {
    if (wireType !== expected) fail(`${what} has wire type ${wireType}, expected ${expected}`);
  }
}

/** The field number of a tag read by {@link ProtobufReader.tag}. */
export function fieldOf(tag: number): number {
  return Math.floor(tag / 8);
}
