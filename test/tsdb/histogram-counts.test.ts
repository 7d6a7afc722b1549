import { describe, expect, it } from "vitest";
import { histogramCounts } from "../../src/tsdb/histogram-counts.js";

describe("histogramCounts", () => {
  it("counts requests at or under the threshold bucket as good and the +Inf bucket as total", () => {
    // cumulative le buckets 0.1, 0.25, 0.5, +Inf
    expect(histogramCounts([0.1, 0.25, 0.5], 0.25, [50, 80, 95, 100])).toEqual({ good: 80, total: 100 });
  });

  it("rejects a threshold that is not a bucket bound with a stable code", () => {
    expect(() => histogramCounts([0.1, 0.25], 0.3, [1, 2, 3])).toThrow(
      expect.objectContaining({ code: "NINES_ERR_TSDB_THRESHOLD_NOT_BUCKET" }),
    );
  });
});
