import { RemoteWriteProtobufError } from "../errors.js";
import { fieldOf, ProtobufReader } from "./protobuf-reader.js";
import { DEFAULT_MAX_DECODED_BYTES, snappyDecode } from "./snappy-decode.js";
import type { RemoteWriteSample, RemoteWriteSeries, WriteRequest } from "./write-request.js";

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

// Each reader below reads one embedded message: the caller has narrowed `r.end` with enter().

function readLabel(r: ProtobufReader, labels: Record<string, string>): void {
  let name = "";
  let value = "";
  while (!r.done) {
    const tag = r.tag();
    const field = fieldOf(tag);
    if (field === 1) {
      r.expect(tag & 7, LEN, "Label.name");
      name = r.string();
    } else if (field === 2) {
      r.expect(tag & 7, LEN, "Label.value");
      value = r.string();
    } else r.skip(tag & 7);
  }
  if (name === "") throw new RemoteWriteProtobufError("protobuf: a label has an empty name");
  labels[name] = value;
}

function readSample(r: ProtobufReader): RemoteWriteSample {
  let value = 0;
  let timestampMs = 0;
  while (!r.done) {
    const tag = r.tag();
    const field = fieldOf(tag);
    if (field === 1) {
      r.expect(tag & 7, FIXED64, "Sample.value");
      value = r.double();
    } else if (field === 2) {
      r.expect(tag & 7, VARINT, "Sample.timestamp");
      timestampMs = r.int64();
    } else r.skip(tag & 7);
  }
  return { value, timestampMs };
}

function readSeries(r: ProtobufReader): RemoteWriteSeries {
  // A null-prototype object so that a label named `__proto__` is just a label.
  const labels = Object.create(null) as Record<string, string>;
  const samples: RemoteWriteSample[] = [];
  while (!r.done) {
    const tag = r.tag();
    const field = fieldOf(tag);
    if (field === 1) {
      r.expect(tag & 7, LEN, "TimeSeries.labels");
      const outer = r.enter();
      readLabel(r, labels);
      r.leave(outer);
    } else if (field === 2) {
      r.expect(tag & 7, LEN, "TimeSeries.samples");
      const outer = r.enter();
      samples.push(readSample(r));
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return { labels, samples };
}

/**
 * Decodes an uncompressed `prometheus.WriteRequest` (remote-write 1.0): timeseries with labels
 * and float samples. Exemplars, native histograms and metadata are skipped.
 */
export function decodeWriteRequestProto(bytes: Uint8Array): WriteRequest {
  const r = new ProtobufReader(bytes);
  const timeseries: RemoteWriteSeries[] = [];
  while (!r.done) {
    const tag = r.tag();
    if (fieldOf(tag) === 1) {
      r.expect(tag & 7, LEN, "WriteRequest.timeseries");
      const outer = r.enter();
      timeseries.push(readSeries(r));
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return { timeseries };
}

/**
 * Decodes a remote-write 1.0 HTTP body (snappy block format around a protobuf
 * `prometheus.WriteRequest`). Throws only NinesErrors: NINES_ERR_REMOTEWRITE_SNAPPY,
 * NINES_ERR_REMOTEWRITE_PROTOBUF or NINES_ERR_REMOTEWRITE_TOO_LARGE.
 *
 * @example const { timeseries } = decodeRemoteWrite(new Uint8Array(await req.arrayBuffer()));
 */
export function decodeRemoteWrite(
  body: Uint8Array,
  maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES,
): WriteRequest {
  return decodeWriteRequestProto(snappyDecode(body, maxDecodedBytes));
}
