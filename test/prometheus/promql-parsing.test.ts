import { describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import { combineCounts, parseQueryResponse } from "../../src/slo/sources/promql-response.js";
import { renderWindow } from "../../src/slo/sources/promql-template.js";
import { planPull } from "../../src/slo/sources/pull-plan.js";
import { parseTimeArg, wholeSteps } from "../../src/slo/sources/read-range.js";
import { chunkRange, stepEnds } from "../../src/slo/sources/source.js";

const T = 1_700_000_040; // a whole minute, in seconds
const vector = (result: unknown[]) =>
  JSON.stringify({ status: "success", data: { resultType: "vector", result } });
const matrix = (result: unknown[]) =>
  JSON.stringify({ status: "success", data: { resultType: "matrix", result } });

function thrown(fn: () => unknown): { code: string; message: string; details: unknown } {
  try {
    fn();
  } catch (error) {
    if (isNinesError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error("expected an error");
}

describe("query templating", () => {
  it("fills every {{window}} with a Prometheus duration of the step", () => {
    const q = "sum(increase(a[{{window}}])) / sum(increase(b[{{window}}]))";
    expect(renderWindow(q, 60_000)).toBe("sum(increase(a[1m])) / sum(increase(b[1m]))");
    expect(renderWindow(q, 90_000)).toBe("sum(increase(a[1m30s])) / sum(increase(b[1m30s]))");
    expect(renderWindow("increase(x[{{window}}])", 300_000)).toBe("increase(x[5m])");
    expect(renderWindow("increase(x[{{window}}])", 86_400_000)).toBe("increase(x[1d])");
  });

  it("leaves Sloth's {{.window}} alone (the spec validator refuses it with a hint)", () => {
    expect(renderWindow("increase(x[{{.window}}])", 60_000)).toBe("increase(x[{{.window}}])");
  });
});

describe("Prometheus API response parsing", () => {
  it("sums a vector over its series at the evaluation time", () => {
    const v = parseQueryResponse(
      vector([
        { metric: { code: "200" }, value: [T, "120"] },
        { metric: { code: "201" }, value: [T, "30.5"] },
      ]),
    );
    expect([...v.points]).toEqual([[T * 1000, 150.5]]);
    expect(v.series).toBe(2);
    expect(v.dropped).toBe(0);
  });

  it("sums a matrix per timestamp and rounds float seconds to milliseconds", () => {
    const v = parseQueryResponse(
      matrix([
        {
          metric: { a: "1" },
          values: [
            [T, "1"],
            [T + 60, "2"],
          ],
        },
        { metric: { a: "2" }, values: [[T + 60.0000001, "3"]] },
      ]),
    );
    expect([...v.points]).toEqual([
      [T * 1000, 1],
      [(T + 60) * 1000, 5],
    ]);
  });

  it("reads a scalar", () => {
    const v = parseQueryResponse(
      JSON.stringify({ status: "success", data: { resultType: "scalar", result: [T, "7"] } }),
    );
    expect([...v.points]).toEqual([[T * 1000, 7]]);
  });

  it("drops NaN, infinite and negative values instead of turning a budget into NaN", () => {
    const v = parseQueryResponse(
      vector([
        { metric: { a: "1" }, value: [T, "NaN"] },
        { metric: { a: "2" }, value: [T, "+Inf"] },
        { metric: { a: "3" }, value: [T, "-1"] },
        { metric: { a: "4" }, value: [T, "4"] },
      ]),
    );
    expect([...v.points]).toEqual([[T * 1000, 4]]);
    expect(v.dropped).toBe(3);
  });

  it("reads an empty result as no traffic: the step becomes 0 of 0, not NaN", () => {
    const empty = parseQueryResponse(vector([]));
    expect(empty.series).toBe(0);
    expect(empty.points.size).toBe(0);
    const samples = combineCounts([T * 1000], empty, empty, "good");
    expect(samples).toEqual([{ ts: T * 1000, good: 0, total: 0 }]);
    expect(samples.every((s) => Number.isFinite(s.good) && Number.isFinite(s.total))).toBe(true);
  });

  it('turns {"status":"error"} into NINES_ERR_PROMQL_QUERY_FAILED with the API\'s own message', () => {
    const e = thrown(() =>
      parseQueryResponse(
        JSON.stringify({
          status: "error",
          errorType: "bad_data",
          error: '1:14: parse error: unexpected "[" in label matching',
        }),
        400,
      ),
    );
    expect(e.code).toBe("NINES_ERR_PROMQL_QUERY_FAILED");
    expect(e.message).toBe('PromQL bad_data: 1:14: parse error: unexpected "[" in label matching');
    expect(e.details).toMatchObject({ errorType: "bad_data", httpStatus: 400 });
  });

  it("refuses bodies that are not the Prometheus API (a proxy's HTML page, a string result)", () => {
    expect(thrown(() => parseQueryResponse("<html><body>Bad Gateway</body></html>", 200)).code).toBe(
      "NINES_ERR_PROMQL_RESPONSE_INVALID",
    );
    expect(
      thrown(() =>
        parseQueryResponse(
          JSON.stringify({ status: "success", data: { resultType: "string", result: [T, "x"] } }),
        ),
      ).message,
    ).toMatch(/result type "string"/);
    expect(thrown(() => parseQueryResponse(JSON.stringify({ status: "success" }))).message).toMatch(/"data"/);
    expect(thrown(() => parseQueryResponse(vector([{ metric: {}, value: ["x", 1] }]))).code).toBe(
      "NINES_ERR_PROMQL_RESPONSE_INVALID",
    );
  });
});

describe("combining the events and total queries", () => {
  const at = (points: [number, number][]) => ({
    points: new Map(points),
    series: points.length,
    dropped: 0,
    warnings: [],
  });

  it("makes one sample per grid step; a missing events value is 0 events", () => {
    const grid = [60_000, 120_000, 180_000];
    const total = at([
      [60_000, 100],
      [120_000, 50],
    ]);
    const bad = at([[60_000, 3]]);
    expect(combineCounts(grid, bad, total, "bad")).toEqual([
      { ts: 60_000, good: 97, total: 100 },
      { ts: 120_000, good: 50, total: 50 },
      { ts: 180_000, good: 0, total: 0 },
    ]);
    expect(combineCounts(grid, at([[60_000, 97]]), total, "good")[0]).toEqual({
      ts: 60_000,
      good: 97,
      total: 100,
    });
  });

  it("caps events at the total (the two queries extrapolate separately)", () => {
    expect(combineCounts([60_000], at([[60_000, 100.4]]), at([[60_000, 100]]), "good")).toEqual([
      { ts: 60_000, good: 100, total: 100 },
    ]);
    expect(combineCounts([60_000], at([[60_000, 100.4]]), at([[60_000, 100]]), "bad")).toEqual([
      { ts: 60_000, good: 0, total: 100 },
    ]);
  });
});

describe("pull planning", () => {
  const M = 60_000;
  const H = 3_600_000;
  const D = 86_400_000;
  const end = 1_000 * D;

  it("back-fills the whole window at the live step when it is short", () => {
    const plan = planPull({ cursorMs: null, windowStartMs: end - 2 * H, endMs: end, stepMs: M });
    expect(plan).toEqual({
      kind: "backfill",
      fromMs: end - 2 * H,
      toMs: end,
      ranges: [{ fromMs: end - 2 * H, toMs: end, stepMs: M }],
      steps: 120,
    });
  });

  it("back-fills by the minute at least, whatever the live step", () => {
    const plan = planPull({ cursorMs: null, windowStartMs: end - 1 * H, endMs: end, stepMs: 5_000 })!;
    expect(plan.ranges).toEqual([{ fromMs: end - H, toMs: end, stepMs: M }]);
    const odd = planPull({ cursorMs: null, windowStartMs: end - 1 * H, endMs: end, stepMs: 45_000 })!;
    expect(odd.ranges.at(-1)).toMatchObject({ toMs: end, stepMs: 90_000 });
  });

  it("back-fills a 30-day window with 5-minute steps and the last 6 hours at the live step", () => {
    const plan = planPull({ cursorMs: null, windowStartMs: end - 30 * D, endMs: end, stepMs: M })!;
    expect(plan.ranges).toEqual([
      { fromMs: end - 30 * D, toMs: end - 6 * H, stepMs: 5 * M },
      { fromMs: end - 6 * H, toMs: end, stepMs: M },
    ]);
    expect(plan.steps).toBe((30 * D - 6 * H) / (5 * M) + 360);
  });

  it("pulls one step when the cursor is one step behind, nothing when it is current", () => {
    expect(planPull({ cursorMs: end - M, windowStartMs: end - 30 * D, endMs: end, stepMs: M })).toMatchObject(
      {
        kind: "live",
        ranges: [{ fromMs: end - M, toMs: end, stepMs: M }],
      },
    );
    expect(planPull({ cursorMs: end, windowStartMs: end - 30 * D, endMs: end, stepMs: M })).toBeNull();
  });

  it("catches up from an off-grid cursor exactly, so no event is counted twice", () => {
    const cursor = end - 3 * M - 20_000;
    const plan = planPull({ cursorMs: cursor, windowStartMs: end - 30 * D, endMs: end, stepMs: M })!;
    expect(plan.kind).toBe("catch-up");
    expect(plan.ranges).toEqual([
      { fromMs: cursor, toMs: end - 3 * M, stepMs: 20_000 },
      { fromMs: end - 3 * M, toMs: end, stepMs: M },
    ]);
  });

  it("never reaches before the SLO window, even after a long outage", () => {
    const plan = planPull({ cursorMs: end - 40 * D, windowStartMs: end - 7 * D, endMs: end, stepMs: M })!;
    expect(plan.fromMs).toBe(end - 7 * D);
  });
});

describe("ranges and time arguments", () => {
  it("cuts ranges into whole steps and chunks", () => {
    expect(stepEnds({ fromMs: 0, toMs: 180_000, stepMs: 60_000 })).toEqual([60_000, 120_000, 180_000]);
    expect(thrown(() => stepEnds({ fromMs: 0, toMs: 90_000, stepMs: 60_000 })).code).toBe(
      "NINES_ERR_SLOSOURCE_RANGE_INVALID",
    );
    expect(chunkRange({ fromMs: 0, toMs: 5 * 60_000, stepMs: 60_000 }, 2)).toEqual([
      { fromMs: 0, toMs: 120_000, stepMs: 60_000 },
      { fromMs: 120_000, toMs: 240_000, stepMs: 60_000 },
      { fromMs: 240_000, toMs: 300_000, stepMs: 60_000 },
    ]);
    expect(wholeSteps(10_000, 190_000, 60_000)).toEqual({ fromMs: 10_000, toMs: 190_000, stepMs: 60_000 });
    expect(wholeSteps(0, 190_000, 60_000)).toEqual({ fromMs: 10_000, toMs: 190_000, stepMs: 60_000 });
  });

  it("reads --from/--to as RFC 3339, unix seconds or milliseconds, now and now-<duration>", () => {
    const now = 1_700_000_000_000;
    expect(parseTimeArg("2024-03-01T00:00:00Z", now)).toBe(Date.UTC(2024, 2, 1));
    expect(parseTimeArg("1700000000", now)).toBe(1_700_000_000_000);
    expect(parseTimeArg("1700000000123", now)).toBe(1_700_000_000_123);
    expect(parseTimeArg("now", now)).toBe(now);
    expect(parseTimeArg("now-7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeArg("yesterday", now)).toBeUndefined();
    expect(parseTimeArg("now-7 days", now)).toBeUndefined();
  });
});
