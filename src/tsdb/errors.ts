import { defineError } from "../errors/index.js";

/** A sample had a non-finite timestamp, a negative count or more good than total events. */
export const SampleInvalidError = defineError(
  "NINES_ERR_TSDB_SAMPLE_INVALID",
  400,
  "A sample has a non-finite timestamp, a negative or non-finite count, or more good events than total events.",
);
/** A read or write named a series the store does not hold. */
export const SeriesUnknownError = defineError(
  "NINES_ERR_TSDB_SERIES_UNKNOWN",
  404,
  "The SLI store holds no series with this id; create it (register the SLO) before writing or reading it.",
);
/** A series was created twice with a different sample kind. */
export const SeriesKindConflictError = defineError(
  "NINES_ERR_TSDB_SERIES_KIND_CONFLICT",
  409,
  "A series already exists with the other sample kind (per-interval counts versus cumulative counters).",
);
/** A latency threshold does not equal one of the histogram's bucket bounds. */
export const ThresholdNotBucketError = defineError(
  "NINES_ERR_TSDB_THRESHOLD_NOT_BUCKET",
  400,
  "A latency SLI threshold must equal one histogram bucket bound so that good events can be counted exactly.",
);
/** A chart range query asked for too many points or a non-positive step. */
export const RangeInvalidError = defineError(
  "NINES_ERR_TSDB_RANGE_INVALID",
  400,
  "A range query needs from < to, a positive step and at most 11,000 points.",
);
/** A stored sample batch could not be decoded (a damaged or foreign row in the sample log). */
export const SampleBatchCorruptError = defineError(
  "NINES_ERR_TSDB_SAMPLE_BATCH_CORRUPT",
  500,
  "A batch in the sample log could not be decoded: its format byte, lengths or id indexes do not match.",
);
