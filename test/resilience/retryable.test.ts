import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BudgetExhaustedError,
  classifyHttp,
  defaultClassifier,
  hasNoRetryMarker,
  isNetworkError,
  LoadShedError,
  markNoRetry,
  NO_RETRY_HEADER,
} from "../../src/resilience/index.js";

describe("default retry classification", () => {
  it("never retries a 4xx other than 429", () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 499 }), (status) => {
        fc.pre(status !== 429);
        expect(classifyHttp(status, undefined).retry).toBe(false);
        expect(defaultClassifier({ ok: true, value: new Response(null, { status }) }).retry).toBe(false);
      }),
    );
  });

  it("retries 429, 502, 503 and 504 but not 500 or 501", () => {
    for (const status of [429, 502, 503, 504]) expect(classifyHttp(status, undefined).retry).toBe(true);
    for (const status of [500, 501]) expect(classifyHttp(status, undefined).retry).toBe(false);
  });

  it("does not retry a 503 that carries the don't-retry header", () => {
    const decision = defaultClassifier({
      ok: true,
      value: new Response(null, { status: 503, headers: { [NO_RETRY_HEADER]: "1" } }),
    });
    expect(decision).toEqual({ retry: false, noRetry: true });
  });

  it("reads Retry-After from a response", () => {
    const decision = defaultClassifier({
      ok: true,
      value: new Response(null, { status: 429, headers: { "retry-after": "3" } }),
    });
    expect(decision).toEqual({ retry: true, retryAfterMs: 3000 });
  });

  it("classifies errors that carry a status, such as an HTTP client's error with a response", () => {
    expect(defaultClassifier({ ok: false, error: { statusCode: 503 } }).retry).toBe(true);
    expect(defaultClassifier({ ok: false, error: { response: { status: 404, headers: {} } } }).retry).toBe(
      false,
    );
  });

  it("recognises network errors inside fetch's cause chain", () => {
    const error = new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    expect(isNetworkError(error)).toBe(true);
    expect(defaultClassifier({ ok: false, error }).retry).toBe(true);
    expect(isNetworkError(new Error("boom"))).toBe(false);
    expect(defaultClassifier({ ok: false, error: new Error("boom") }).retry).toBe(false);
  });

  it("treats shed, budget-exhausted and marked errors as don't-retry", () => {
    expect(hasNoRetryMarker(new LoadShedError("x"))).toBe(true);
    expect(hasNoRetryMarker(new BudgetExhaustedError("x"))).toBe(true);
    expect(hasNoRetryMarker(markNoRetry(Object.assign(new Error("x"), { code: "ECONNRESET" })))).toBe(true);
    expect(hasNoRetryMarker(new Error("x"))).toBe(false);
    expect(defaultClassifier({ ok: false, error: markNoRetry({ statusCode: 503 }) }).retry).toBe(false);
  });
});
