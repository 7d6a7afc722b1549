import { fnv1a } from "../../tsdb/byte-keys.js";
import { RemoteWriteProtobufError } from "../errors.js";
import { type InternedLabels, LabelInterner } from "./label-interner.js";
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

const LABEL_TAG = (1 << 3) | LEN;
/**
 * Label sets by the raw bytes of their label fields: a series sent again is not decoded again.
 * Two generations bound the memory: when the newer one is full it becomes the older one, and sets
 * still sent move up from the older one as they are seen.
 */
const INTERNED_PER_GENERATION = 50_000;
let interned = new LabelInterner();
let previousInterned = new LabelInterner();

function internedLabels(r: ProtobufReader): InternedLabels | undefined {
  // The leading run of label fields (every sender writes labels first), skipped to find its end.
  const start = r.pos;
  while (!r.done) {
    const at = r.pos;
    if (r.uint() !== LABEL_TAG) {
      r.pos = at;
      break;
    }
    r.bytes();
  }
  const end = r.pos;
  if (end === start) return undefined;
  const bytes = r.buf;
  const hash = fnv1a(bytes, start, end);
  let entry = interned.find(bytes, start, end, hash);
  if (entry === undefined) {
    entry = previousInterned.find(bytes, start, end, hash);
    if (entry === undefined) {
      r.pos = start;
      const decoded = Object.create(null) as Record<string, string>;
      while (r.pos < end) {
        r.tag();
        const outer = r.enter();
        readLabel(r, decoded);
        r.leave(outer);
      }
      entry = { labels: Object.freeze(decoded), derived: undefined };
    }
    if (interned.size >= INTERNED_PER_GENERATION) {
      previousInterned = interned;
      interned = new LabelInterner();
    }
    interned.add(bytes, start, end, hash, entry);
  }
  return entry;
}

function readSeries(r: ProtobufReader): RemoteWriteSeries {
  // A null-prototype object so that a label named `__proto__` is just a label. Shared between
  // requests that send the same label bytes, so it is frozen; a label field after the samples
  // (unusual) gets a copy, and the series then has no interned entry.
  let entry = internedLabels(r);
  let labels: Readonly<Record<string, string>> =
    entry?.labels ?? (Object.create(null) as Record<string, string>);
  const samples: RemoteWriteSample[] = [];
  while (!r.done) {
    const tag = r.tag();
    const field = fieldOf(tag);
    if (field === 1) {
      r.expect(tag & 7, LEN, "TimeSeries.labels");
      const outer = r.enter();
      const own = Object.isFrozen(labels)
        ? Object.assign(Object.create(null) as Record<string, string>, labels)
        : (labels as Record<string, string>);
      readLabel(r, own);
      labels = own;
      entry = undefined;
      r.leave(outer);
    } else if (field === 2) {
      r.expect(tag & 7, LEN, "TimeSeries.samples");
      const outer = r.enter();
      samples.push(readSample(r));
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return entry === undefined ? { labels, samples } : { labels, samples, interned: entry };
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
