import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRatioBudget, createTokenBucketBudget, VirtualClock } from "../../src/resilience/index.js";

describe("token bucket retry budget (gRPC retry throttling)", () => {
  it("stops retries once failures bring the tokens to half of maxTokens", () => {
    // gRFC A6: maxTokens 10, tokenRatio 0.1 → throttled when tokens ≤ 5, i.e. after 5 failures.
    const budget = createTokenBucketBudget({ maxTokens: 10, tokenRatio: 0.1 });
    for (let i = 0; i < 4; i++) budget.recordFailure();
    expect(budget.tryRetry()).toBe(true);
    budget.recordFailure();
    expect(budget.tokens).toBe(5);
    expect(budget.tryRetry()).toBe(false);
    budget.recordSuccess();
    expect(budget.tryRetry()).toBe(true);
  });

  it("needs 1/tokenRatio successes to win back the token of one failure", () => {
    const budget = createTokenBucketBudget({ maxTokens: 4, tokenRatio: 0.25 });
    for (let i = 0; i < 3; i++) budget.recordFailure();
    expect(budget.tryRetry()).toBe(false);
    // 1 token left; 4 successes bring it back to 2 = half, still throttled; the 5th lifts it above.
    for (let i = 0; i < 4; i++) budget.recordSuccess();
    expect(budget.tryRetry()).toBe(false);
    budget.recordSuccess();
    expect(budget.tryRetry()).toBe(true);
  });

  it("keeps tokens between 0 and maxTokens", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (ops, maxTokens) => {
          const budget = createTokenBucketBudget({ maxTokens, tokenRatio: 0.3 });
          for (const success of ops) {
            if (success) budget.recordSuccess();
            else budget.recordFailure();
            expect(budget.tokens).toBeGreaterThanOrEqual(0);
            expect(budget.tokens).toBeLessThanOrEqual(maxTokens);
          }
        },
      ),
    );
  });
});

describe("ratio retry budget (Finagle RetryBudget)", () => {
  it("never grants more retries than percentCanRetry × requests + minRetriesPerSecond × ttl in one window", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("request", "retry"), { maxLength: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 5 }),
        (ops, percent, minPerSecond) => {
          const clock = new VirtualClock();
          const budget = createRatioBudget({
            percentCanRetry: percent,
            minRetriesPerSecond: minPerSecond,
            ttlMs: 1000,
            clock,
          });
          let requests = 0;
          let granted = 0;
          for (const op of ops) {
            if (op === "request") {
              budget.recordRequest();
              requests++;
            } else if (budget.tryRetry()) granted++;
            expect(granted).toBeLessThanOrEqual(percent * requests + minPerSecond + 1e-9);
          }
        },
      ),
    );
  });

  it("allows 10 retries for 100 requests at 10% with no floor", () => {
    const budget = createRatioBudget({
      percentCanRetry: 0.1,
      minRetriesPerSecond: 0,
      clock: new VirtualClock(),
    });
    for (let i = 0; i < 100; i++) budget.recordRequest();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(10);
  });

  it("forgets deposits older than the ttl", async () => {
    const clock = new VirtualClock();
    const budget = createRatioBudget({ percentCanRetry: 0.5, minRetriesPerSecond: 0, ttlMs: 10_000, clock });
    for (let i = 0; i < 10; i++) budget.recordRequest();
    await clock.advance(10_000);
    expect(budget.tryRetry()).toBe(false);
    for (let i = 0; i < 2; i++) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true);
  });

  it("grants the per-second floor with no traffic at all", () => {
    const budget = createRatioBudget({
      percentCanRetry: 0.2,
      minRetriesPerSecond: 3,
      ttlMs: 1000,
      clock: new VirtualClock(),
    });
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(3);
  });
});
