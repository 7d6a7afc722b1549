import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AttemptEvent,
  type BackoffEvent,
  createTokenBucketBudget,
  deadlineIn,
  hasNoRetryMarker,
  mulberry32,
  ResilienceEvents,
  retry,
  sleep,
  VirtualClock,
} from "../../src/resilience/index.js";
import { settle } from "./virtual-time.js";

const response = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });
const networkError = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });

describe("retry", () => {
  it("retries a 503 until the backend answers 200", async () => {
    const clock = new VirtualClock();
    const statuses = [503, 503, 200];
    let calls = 0;
    const result = await settle(
      clock,
      retry(async () => response(statuses[calls++]!), { clock, random: mulberry32(1), maxAttempts: 5 }),
    );
    expect(result.ok && result.value.status).toBe(200);
    expect(calls).toBe(3);
  });

  it("never retries a 4xx other than 429", async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      const clock = new VirtualClock();
      let calls = 0;
      const result = await settle(
        clock,
        retry(
          async () => {
            calls++;
            return response(status);
          },
          { clock, maxAttempts: 5 },
        ),
      );
      expect(result.ok && result.value.status).toBe(status);
      expect(calls).toBe(1);
    }
  });

  it("retries 429, 502, 503 and 504 and network errors", async () => {
    for (const failure of [
      () => response(429),
      () => response(502),
      () => response(503),
      () => response(504),
      () => {
        throw networkError();
      },
    ]) {
      const clock = new VirtualClock();
      let calls = 0;
      await settle(
        clock,
        retry(
          async () => {
            calls++;
            return calls === 1 ? failure() : response(200);
          },
          { clock, random: mulberry32(2) },
        ),
      );
      expect(calls).toBe(2);
    }
  });

  it("waits at least Retry-After seconds when the server asks for it", async () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    await settle(
      clock,
      retry(
        async () => {
          times.push(clock.now());
          return times.length === 1 ? response(503, { "retry-after": "7" }) : response(200);
        },
        { clock, backoff: { jitter: "full", baseMs: 10, capMs: 100 } },
      ),
    );
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(7000);
  });

  it("returns the last retryable response after maxAttempts and rethrows the last error marked don't-retry", async () => {
    const clock = new VirtualClock();
    let calls = 0;
    const last = await settle(
      clock,
      retry(
        async () => {
          calls++;
          return response(503);
        },
        { clock, maxAttempts: 4 },
      ),
    );
    expect(calls).toBe(4);
    expect(last.ok && last.value.status).toBe(503);

    const thrown = await settle(
      clock,
      retry(
        async () => {
          throw networkError();
        },
        { clock, maxAttempts: 2 },
      ),
    );
    expect(thrown.ok).toBe(false);
    expect(!thrown.ok && hasNoRetryMarker(thrown.error)).toBe(true);
  });

  it("does not retry again at an upper layer once a lower layer has given up", async () => {
    const clock = new VirtualClock();
    let backendCalls = 0;
    const lower = () =>
      retry(
        async () => {
          backendCalls++;
          throw networkError();
        },
        { clock, maxAttempts: 3 },
      );
    await settle(clock, retry(lower, { clock, maxAttempts: 3 }));
    expect(backendCalls).toBe(3);
  });

  it("returns a failure at once when the retry budget is spent", async () => {
    const clock = new VirtualClock();
    const budget = createTokenBucketBudget({ maxTokens: 2, tokenRatio: 0.1 });
    const events = new ResilienceEvents();
    const exhausted: number[] = [];
    events.onBudgetExhausted((e) => exhausted.push(e.attempt));
    let calls = 0;
    const result = await settle(
      clock,
      retry(
        async () => {
          calls++;
          throw networkError();
        },
        { clock, budget, events, maxAttempts: 10 },
      ),
    );
    // Tokens 2 → 1 after the first failure: 1 is not more than half of 2, so no retry.
    expect(calls).toBe(1);
    expect(clock.now()).toBe(0);
    expect(!result.ok && (result.error as { code?: string }).code).toBe(
      "NINES_ERR_RESILIENCE_BUDGET_EXHAUSTED",
    );
    expect(exhausted).toEqual([1]);
  });

  it("never runs past its deadline, whatever the latencies and failures", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ latency: fc.integer({ min: 0, max: 5000 }), fail: fc.boolean() }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
        fc.integer(),
        async (plan, deadlineMs, attemptTimeoutMs, seed) => {
          const clock = new VirtualClock();
          let i = 0;
          const deadline = deadlineIn(deadlineMs, clock);
          let endedAt = Number.NaN;
          const call = retry(
            async () => {
              const step = plan[i++ % plan.length]!;
              await sleep(clock, step.latency);
              if (step.fail) throw networkError();
              return "ok";
            },
            { clock, deadline, attemptTimeoutMs, maxAttempts: 8, random: mulberry32(seed) },
          );
          // The abandoned attempt's own timers may fire later; what counts is when retry settled.
          await settle(
            clock,
            call.finally(() => {
              endedAt = clock.now();
            }),
          );
          expect(endedAt).toBeLessThanOrEqual(deadline.atMs);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fails with DEADLINE_EXCEEDED instead of sleeping past the deadline", async () => {
    const clock = new VirtualClock();
    const result = await settle(
      clock,
      retry(async () => response(503, { "retry-after": "30" }), { clock, deadlineMs: 5000 }),
    );
    expect(!result.ok && (result.error as { code?: string }).code).toBe(
      "NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED",
    );
    expect(clock.now()).toBe(0);
  });

  it("aborts an attempt that ignores its signal when the attempt timeout passes, then retries", async () => {
    const clock = new VirtualClock();
    let calls = 0;
    const result = await settle(
      clock,
      retry(
        async () => {
          calls++;
          if (calls === 1) await new Promise(() => {});
          return "second";
        },
        { clock, attemptTimeoutMs: 1000, random: mulberry32(5) },
      ),
    );
    expect(result.ok && result.value).toBe("second");
    expect(calls).toBe(2);
  });

  it("stops waiting and rethrows the abort reason when the caller aborts during backoff", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    clock.setTimer(50, () => controller.abort(new Error("caller went away")));
    let calls = 0;
    const result = await settle(
      clock,
      retry(
        async () => {
          calls++;
          throw networkError();
        },
        {
          clock,
          signal: controller.signal,
          backoff: { jitter: "none", baseMs: 1000, capMs: 1000 },
          maxAttempts: 5,
        },
      ),
    );
    expect(!result.ok && (result.error as Error).message).toBe("caller went away");
    expect(calls).toBe(1);
    expect(clock.now()).toBe(50);
  });

  it("passes an attempt signal that aborts when the caller aborts", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const promise = retry(
      ({ signal }) => {
        seen = signal;
        return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      },
      { clock, signal: controller.signal },
    );
    clock.setTimer(10, () => controller.abort(new Error("stop")));
    await settle(clock, promise);
    expect(seen?.aborted).toBe(true);
  });

  it("aborts a returned attempt's signal by default, and leaves it alone with abortOnReturn: false", async () => {
    const clock = new VirtualClock();
    const caller = new AbortController();
    const seen: AbortSignal[] = [];
    for (const abortOnReturn of [true, false]) {
      await settle(
        clock,
        retry(
          async ({ signal }) => {
            seen.push(signal);
            return response(200);
          },
          { clock, attemptTimeoutMs: 1000, abortOnReturn, signal: caller.signal },
        ),
      );
    }
    expect(seen.map((s) => s.aborted)).toEqual([true, false]);
    // The caller's later abort no longer reaches an attempt that has ended.
    caller.abort(new Error("too late"));
    expect(seen[1]?.aborted).toBe(false);
  });

  it("emits one attempt event per try and one backoff event per wait", async () => {
    const clock = new VirtualClock();
    const events = new ResilienceEvents();
    const attempts: AttemptEvent[] = [];
    const backoffs: BackoffEvent[] = [];
    events.onAttempt((e) => attempts.push(e));
    events.onBackoff((e) => backoffs.push(e));
    let calls = 0;
    await settle(
      clock,
      retry(async () => response(++calls < 3 ? 503 : 200), {
        clock,
        events,
        name: "prometheus",
        random: mulberry32(9),
      }),
    );
    expect(attempts.map((e) => [e.attempt, e.outcome, e.retryable])).toEqual([
      [1, "failure", true],
      [2, "failure", true],
      [3, "success", false],
    ]);
    expect(backoffs.map((e) => [e.name, e.nextAttempt, e.reason])).toEqual([
      ["prometheus", 2, "backoff"],
      ["prometheus", 3, "backoff"],
    ]);
  });

  it("keeps calling when a listener throws", async () => {
    const clock = new VirtualClock();
    const events = new ResilienceEvents();
    events.onAttempt(() => {
      throw new Error("broken exporter");
    });
    const result = await settle(
      clock,
      retry(async () => "fine", { clock, events }),
    );
    expect(result.ok && result.value).toBe("fine");
  });
});
