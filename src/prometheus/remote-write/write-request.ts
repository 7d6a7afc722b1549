import type { InternedLabels } from "./label-interner.js";

/** One sample of a remote-write series. */
export interface RemoteWriteSample {
  readonly value: number;
  /** Milliseconds since the Unix epoch. */
  readonly timestampMs: number;
}

/** One series of a prometheus.WriteRequest: its labels (with `__name__`) and samples. */
export interface RemoteWriteSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly RemoteWriteSample[];
  /** The decoder's shared entry for these labels, when it interned them. */
  readonly interned?: InternedLabels;
}

/** The parts of a Prometheus remote-write 1.0 `prometheus.WriteRequest` nines reads. */
export interface WriteRequest {
  readonly timeseries: readonly RemoteWriteSeries[];
}
