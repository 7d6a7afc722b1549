import { PromqlQueryError, PromqlResponseInvalidError } from "./errors.js";

/**
 * One query's answer reduced to what an SLI needs: the sum over all returned series at each
 * timestamp (unix ms). A timestamp no series has a value at is absent: no events there.
 */
export interface QueryValues {
  readonly points: ReadonlyMap<number, number>;
  /** Series the answer held (0 = empty result: no traffic, not an error). */
  readonly series: number;
  /** Values that were NaN, ±Inf or negative, left out of the sums. */
  readonly dropped: number;
  /** The API's `warnings`, if any. */
  readonly warnings: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function invalid(message: string): never {
  throw new PromqlResponseInvalidError(`not a Prometheus API answer: ${message}`);
}

/** Truncates a text for an error message (a proxy's HTML page must not flood the SLO status). */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Reads the body of `/api/v1/query` or `/api/v1/query_range` (Prometheus, Thanos, Mimir and
 * VictoriaMetrics answer alike): `{"status":"success","data":{"resultType","result"}}`, or
 * `{"status":"error","errorType","error"}` which becomes NINES_ERR_PROMQL_QUERY_FAILED with the
 * API's own message. Vectors and matrices are summed over series per timestamp; a scalar is one
 * value. NaN, ±Inf and negative values are not counts and are dropped (counted in `dropped`).
 */
export function parseQueryResponse(body: string, httpStatus = 200): QueryValues {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    invalid(`HTTP ${httpStatus} with a body that is not JSON: "${excerpt(body, 120)}"`);
  }
  if (!isObject(json)) invalid("the body is not a JSON object");
  if (json["status"] === "error") {
    const errorType = typeof json["errorType"] === "string" ? json["errorType"] : "error";
    const error = typeof json["error"] === "string" ? json["error"] : "no message";
    throw new PromqlQueryError(`PromQL ${errorType}: ${excerpt(error, 500)}`, {
      errorType,
      error,
      httpStatus,
    });
  }
  if (json["status"] !== "success") invalid(`"status" is ${JSON.stringify(json["status"])}`);
  const data = json["data"];
  if (!isObject(data)) invalid('"data" is missing');
  const warnings = Array.isArray(json["warnings"])
    ? json["warnings"].filter((w): w is string => typeof w === "string")
    : [];
  const points = new Map<number, number>();
  let dropped = 0;
  const add = (pair: unknown) => {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== "number" ||
      typeof pair[1] !== "string"
    )
      invalid(`a sample is not [<unix seconds>, "<value>"]: ${excerpt(JSON.stringify(pair), 80)}`);
    const value = Number(pair[1]);
    if (!Number.isFinite(value) || value < 0 || pair[1].trim() === "") {
      dropped++;
      return;
    }
    const ts = Math.round(pair[0] * 1000);
    points.set(ts, (points.get(ts) ?? 0) + value);
  };
  const resultType = data["resultType"];
  const result = data["result"];
  switch (resultType) {
    case "scalar":
      add(result);
      return { points, series: 1, dropped, warnings };
    case "vector":
      if (!Array.isArray(result)) invalid('"data.result" of a vector is not an array');
      for (const series of result) {
        if (!isObject(series)) invalid("a vector element is not an object");
        add(series["value"]);
      }
      return { points, series: result.length, dropped, warnings };
    case "matrix":
      if (!Array.isArray(result)) invalid('"data.result" of a matrix is not an array');
      for (const series of result) {
        if (!isObject(series) || !Array.isArray(series["values"]))
          invalid('a matrix element has no "values" array');
        for (const pair of series["values"]) add(pair);
      }
      return { points, series: result.length, dropped, warnings };
    default:
      invalid(
        `result type ${JSON.stringify(resultType)}: an SLI query must return a vector, a matrix or a scalar`,
      );
  }
}

/** One step's counts, at the end of its interval. */
export interface StepCounts {
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

/**
 * Turns the answers of the events and total queries into one sample per grid timestamp. A
 * timestamp without a total is a step without traffic (0/0, so budgets stay numbers); a missing
 * events value is 0 events (an error counter that never moved often has no series at all).
 * Events are capped at the total: the two queries extrapolate separately and may disagree by a
 * fraction of an event.
 */
export function combineCounts(
  grid: readonly number[],
  events: QueryValues,
  total: QueryValues,
  count: "good" | "bad",
): StepCounts[] {
  return grid.map((ts) => {
    const t = total.points.get(ts) ?? 0;
    const e = Math.min(events.points.get(ts) ?? 0, t);
    return { ts, good: count === "good" ? e : t - e, total: t };
  });
}
