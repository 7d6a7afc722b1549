import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import {
  decodeRemoteWrite,
  decodeWriteRequestProto,
} from "../../src/prometheus/remote-write/decode-write-request.js";
import {
  encodeRemoteWrite,
  encodeWriteRequestProto,
} from "../../src/prometheus/remote-write/encode-write-request.js";
import { LabelInterner } from "../../src/prometheus/remote-write/label-interner.js";
import { ProtobufWriter } from "../../src/prometheus/remote-write/protobuf-writer.js";
import { snappyDecode } from "../../src/prometheus/remote-write/snappy-decode.js";
import { snappyEncode } from "../../src/prometheus/remote-write/snappy-encode.js";
import type { WriteRequest } from "../../src/prometheus/remote-write/write-request.js";
import { fnv1a } from "../../src/tsdb/byte-keys.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!isNinesError(error)) throw error;
    return error.code;
  }
}

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const writeRequest: fc.Arbitrary<WriteRequest> = fc.record({
  timeseries: fc.array(
    fc.record({
      labels: fc.dictionary(labelName, fc.string({ maxLength: 20, unit: "grapheme" }), {
        minKeys: 1,
        maxKeys: 6,
      }),
      samples: fc.array(
        fc.record({
          value: fc.double({ noNaN: true }),
          timestampMs: fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        }),
        { maxLength: 5 },
      ),
    }),
    { maxLength: 8 },
  ),
});

describe("label interning", () => {
  it("decodes a series sent again to the same labels, and a label after the samples to its own copy", () => {
    const labels = { __name__: "up", job: "api" };
    const body = { timeseries: [{ labels, samples: [{ value: 1, timestampMs: 1_700_000_000_000 }] }] };
    const a = decodeRemoteWrite(encodeRemoteWrite(body)).timeseries[0]!;
    const b = decodeRemoteWrite(encodeRemoteWrite(body)).timeseries[0]!;
    expect(a.labels).toEqual(labels);
    expect(b.labels).toBe(a.labels);
    // labels { __name__="up", job="api" }, a sample, then label { instance="x" }
    const label = (name: string, value: string) =>
      new ProtobufWriter().tag(1, 2).string(name).tag(2, 2).string(value).finish();
    const sample = new ProtobufWriter().tag(1, 1).double(1).tag(2, 0).uint(1_700_000_000_000).finish();
    const ts = new ProtobufWriter()
      .tag(1, 2)
      .bytes(label("__name__", "up"))
      .tag(1, 2)
      .bytes(label("job", "api"))
      .tag(2, 2)
      .bytes(sample)
      .tag(1, 2)
      .bytes(label("instance", "x"))
      .finish();
    const w = new ProtobufWriter().tag(1, 2).bytes(ts);
    const late = decodeWriteRequestProto(w.finish()).timeseries[0]!;
    expect(late.labels).toEqual({ __name__: "up", job: "api", instance: "x" });
    expect(a.labels).toEqual(labels);
  });
});

describe("the label interner", () => {
  it("finds every key it was given by its bytes and nothing else, across table growth", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 24 }), {
          maxLength: 700,
          selector: (b) => Buffer.from(b).toString("hex"),
        }),
        fc.uint8Array({ minLength: 1, maxLength: 24 }),
        (keys, probe) => {
          const interner = new LabelInterner();
          // Each key sits inside a larger buffer, as label fields sit inside a request body.
          const framed = keys.map((k) => {
            const buffer = new Uint8Array(k.length + 6);
            buffer.set(k, 3);
            return buffer;
          });
          for (const [i, b] of framed.entries())
            interner.add(b, 3, b.length - 3, fnv1a(b, 3, b.length - 3), {
              labels: { i: String(i) },
              derived: i,
            });
          expect(interner.size).toBe(keys.length);
          for (const [i, k] of keys.entries())
            expect(interner.find(k, 0, k.length, fnv1a(k, 0, k.length))?.derived).toBe(i);
          const known = keys.some((k) => Buffer.from(k).equals(Buffer.from(probe)));
          expect(interner.find(probe, 0, probe.length, fnv1a(probe, 0, probe.length)) !== undefined).toBe(
            known,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("snappy block format", () => {
  it("decodes the literal + overlapping copy of the format description: 'abc' then copy(offset 3, length 6)", () => {
    const bytes = Uint8Array.from([9, (3 - 1) << 2, 97, 98, 99, 1 | ((6 - 4) << 2), 3]);
    expect(new TextDecoder().decode(snappyDecode(bytes))).toBe("abcabcabc");
  });

  it("round-trips any bytes through the copy-making and the literal-only encoder", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc
        .array(fc.uint8Array({ minLength: 1, maxLength: 8 }), { maxLength: 200 })
        .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p, ...p, ...p]))),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        expect(snappyDecode(snappyEncode(input))).toEqual(input);
        expect(snappyDecode(snappyEncode(input, { literalOnly: true }))).toEqual(input);
      }),
    );
  });

  it("compresses repetitive data with copies, so the decoder's copy path is exercised", () => {
    const input = new TextEncoder().encode('http_requests_total{job="api"} '.repeat(100));
    expect(snappyEncode(input).length).toBeLessThan(input.length / 5);
  });

  it("rejects a copy reaching before the start of the output", () => {
    expect(codeOf(() => snappyDecode(Uint8Array.from([5, 1, 0x41, 1, 9])))).toBe(
      "NINES_ERR_REMOTEWRITE_SNAPPY",
    );
  });

  it("rejects output shorter than the declared length", () => {
    expect(codeOf(() => snappyDecode(Uint8Array.from([10, 0, 0x41])))).toBe("NINES_ERR_REMOTEWRITE_SNAPPY");
  });

  it("refuses a declared length above the limit before allocating it", () => {
    const huge = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(codeOf(() => snappyDecode(huge, 1024))).toBe("NINES_ERR_REMOTEWRITE_TOO_LARGE");
  });
});

describe("remote-write WriteRequest decoding", () => {
  it("reads labels and samples from a hand-built prometheus.WriteRequest, including a negative timestamp", () => {
    const label = (n: string, v: string) =>
      new ProtobufWriter().tag(1, 2).string(n).tag(2, 2).string(v).finish();
    const sample = (v: number, t: number) =>
      new ProtobufWriter().tag(1, 1).double(v).tag(2, 0).int64(t).finish();
    const series = new ProtobufWriter()
      .tag(1, 2)
      .bytes(label("__name__", "up"))
      .tag(1, 2)
      .bytes(label("job", "api"))
      .tag(2, 2)
      .bytes(sample(1, 1_700_000_000_123))
      .tag(2, 2)
      .bytes(sample(0.5, -1))
      .tag(3, 2) // an exemplar: skipped
      .bytes(Uint8Array.from([8, 1]))
      .finish();
    const body = new ProtobufWriter()
      .tag(1, 2)
      .bytes(series)
      .tag(3, 2)
      .bytes(Uint8Array.from([8, 1]))
      .finish();
    const decoded = decodeRemoteWrite(snappyEncode(body));
    expect(decoded.timeseries).toHaveLength(1);
    expect({ ...decoded.timeseries[0]?.labels }).toEqual({ __name__: "up", job: "api" });
    expect(decoded.timeseries[0]?.samples).toEqual([
      { value: 1, timestampMs: 1_700_000_000_123 },
      { value: 0.5, timestampMs: -1 },
    ]);
  });

  it("round-trips any WriteRequest through the encoder and decoder", () => {
    fc.assert(
      fc.property(writeRequest, (request) => {
        const decoded = decodeRemoteWrite(encodeRemoteWrite(request));
        expect(decoded.timeseries.map((s) => ({ labels: { ...s.labels }, samples: s.samples }))).toEqual(
          request.timeseries,
        );
      }),
    );
  });

  it("treats a label named __proto__ as an ordinary label", () => {
    const body = encodeWriteRequestProto({
      timeseries: [{ labels: { ["__proto__"]: "x", a: "b" }, samples: [] }],
    });
    const decoded = decodeWriteRequestProto(body);
    expect(Object.keys(decoded.timeseries[0]?.labels ?? {}).sort()).toEqual(["__proto__", "a"]);
  });

  it("rejects a field with the wrong wire type with NINES_ERR_REMOTEWRITE_PROTOBUF", () => {
    const body = new ProtobufWriter().tag(1, 0).uint(5).finish();
    expect(codeOf(() => decodeWriteRequestProto(body))).toBe("NINES_ERR_REMOTEWRITE_PROTOBUF");
  });

  it("never throws anything but a coded remote-write error on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        for (const attempt of [() => decodeRemoteWrite(bytes), () => decodeWriteRequestProto(bytes)]) {
          const code = codeOf(attempt);
          if (code !== undefined) expect(code).toMatch(/^NINES_ERR_REMOTEWRITE_/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws anything but a coded error on truncated or bit-flipped valid bodies", () => {
    fc.assert(
      fc.property(
        writeRequest,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (request, cut, at, bit) => {
          const body = encodeRemoteWrite(request);
          const truncated = body.subarray(0, cut % (body.length + 1));
          const flipped = Uint8Array.from(body);
          if (flipped.length > 0) flipped[at % flipped.length]! ^= 1 << bit;
          for (const input of [truncated, flipped]) {
            const code = codeOf(() => decodeRemoteWrite(input));
            if (code !== undefined) expect(code).toMatch(/^NINES_ERR_REMOTEWRITE_/);
          }
          if (truncated.length < body.length)
            expect(codeOf(() => decodeRemoteWrite(truncated))).toBeDefined();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
