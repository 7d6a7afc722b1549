import { ProtobufWriter } from "./protobuf-writer.js";
import { snappyEncode } from "./snappy-encode.js";
import type { WriteRequest } from "./write-request.js";

/** Encodes a WriteRequest as protobuf (labels in the order given), for tests and benchmarks. */
export function encodeWriteRequestProto(request: WriteRequest): Uint8Array {
  const top = new ProtobufWriter();
  for (const series of request.timeseries) {
    const ts = new ProtobufWriter();
    for (const [name, value] of Object.entries(series.labels)) {
      ts.tag(1, 2).bytes(new ProtobufWriter().tag(1, 2).string(name).tag(2, 2).string(value).finish());
    }
    for (const sample of series.samples) {
      ts.tag(2, 2).bytes(
        new ProtobufWriter().tag(1, 1).double(sample.value).tag(2, 0).int64(sample.timestampMs).finish(),
      );
    }
    top.tag(1, 2).bytes(ts.finish());
  }
  return top.finish();
}

/** Encodes a WriteRequest as a remote-write 1.0 body (snappy block format around protobuf). */
export function encodeRemoteWrite(
  request: WriteRequest,
  opts: { readonly literalOnly?: boolean } = {},
): Uint8Array {
  return snappyEncode(encodeWriteRequestProto(request), opts);
}
