/**
 * Remote-write decode throughput: a 1,000-sample body (100 series × 10 samples, 6 labels each)
 * decoded by nines' hand-written snappy + protobuf reader, against JSON.parse of the same data
 * as JSON (the peer; protobufjs is not a dependency). Seeded, bounded to a few seconds.
 */
import { decodeRemoteWrite } from "../src/prometheus/remote-write/decode-write-request.js";
import { encodeRemoteWrite } from "../src/prometheus/remote-write/encode-write-request.js";
import type { WriteRequest } from "../src/prometheus/remote-write/write-request.js";

let seed = 42;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const request: WriteRequest = {
  timeseries: Array.from({ length: 100 }, (_, i) => ({
    labels: {
      __name__: "http_requests_total",
      job: "api",
      instance: `10.0.${i % 8}.${i}:9090`,
      code: ["200", "404", "500", "503"][i % 4]!,
      method: i % 2 === 0 ? "GET" : "POST",
      route: `/v1/items/${i % 10}`,
    },
    samples: Array.from({ length: 10 }, (_, j) => ({
      value: Math.floor(random() * 1e6),
      timestampMs: 1_700_000_000_000 + j * 15_000,
    })),
  })),
};
const SAMPLES = 1000;
const body = encodeRemoteWrite(request);
const literalBody = encodeRemoteWrite(request, { literalOnly: true });
const json = JSON.stringify(request);

function measure(name: string, fn: () => unknown): number {
  for (let i = 0; i < 200; i++) fn();
  const start = process.hrtime.bigint();
  let runs = 0;
  let elapsed = 0;
  while (elapsed < 1.5e9) {
    for (let i = 0; i < 50; i++) fn();
    runs += 50;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  const perSecond = (runs * SAMPLES) / (elapsed / 1e9);
  console.log(
    `${name}: ${Math.round(perSecond).toLocaleString("en-US")} samples/s (${(elapsed / runs / 1000).toFixed(1)} µs per 1,000-sample body)`,
  );
  return perSecond;
}

console.log(
  `body: ${body.length} bytes snappy (${literalBody.length} literal-only), JSON peer ${json.length} bytes`,
);
const ours = measure("remote-write decode (snappy+protobuf)", () => decodeRemoteWrite(body));
const oursLiteral = measure("remote-write decode (literal-only snappy)", () =>
  decodeRemoteWrite(literalBody),
);
const peer = measure("peer JSON.parse of the same series", () => JSON.parse(json));
console.log(
  `ratio decode/JSON.parse: ${(ours / peer).toFixed(2)}x (literal-only ${(oursLiteral / peer).toFixed(2)}x); target >= 500,000 samples/s: ${ours >= 500_000 ? "met" : "missed"}`,
);
