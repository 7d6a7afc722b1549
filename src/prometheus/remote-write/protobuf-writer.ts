/** A minimal protobuf wire-format writer (varint, fixed64, length-delimited), for tests and benchmarks. */
export class ProtobufWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** An unsigned varint up to 2^53. */
  uint(value: number): this {
    this.ensure(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
    return this;
  }

  /** A two's-complement int64 varint. */
  int64(value: number): this {
    if (value >= 0) return this.uint(value);
    this.ensure(10);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.uint(field * 8 + wireType);
  }

  double(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.len, value, true);
    this.len += 8;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.uint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  string(value: string): this {
    return this.bytes(new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
