import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import { formatDuration, parseDuration, tryParseDuration } from "../../src/slo/duration.js";

describe("durations", () => {
  it.each([
    ["30d", 30 * 86_400_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["2w", 14 * 86_400_000],
    ["250ms", 250],
    ["1d6h", 30 * 3_600_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(tryParseDuration(text)).toBe(ms);
  });

  it.each(["", "30", "1.5h", "30days", "1M", "1y", "30m1h", "1h1h", " 5m", "-5m", "5 m"])(
    "refuses %j",
    (text) => {
      expect(tryParseDuration(text)).toBeUndefined();
    },
  );

  it("throws NINES_ERR_SLO_DURATION_INVALID with a hint for fractions", () => {
    try {
      parseDuration("1.5h");
      expect.unreachable();
    } catch (error) {
      expect(isNinesError(error) && error.code).toBe("NINES_ERR_SLO_DURATION_INVALID");
      expect((error as Error).message).toContain("1h30m");
    }
  });

  it("formats 90 minutes as 1h30m and 28 days as 28d", () => {
    expect(formatDuration(5_400_000)).toBe("1h30m");
    expect(formatDuration(28 * 86_400_000)).toBe("28d");
  });

  it("reads back every formatted duration to the same milliseconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * 86_400_000 }), (ms) => {
        expect(tryParseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});
