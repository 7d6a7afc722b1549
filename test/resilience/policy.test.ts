import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CircuitBreaker,
  createPolicy,
  createRatioBudget,
  createTokenBucketBudget,
  DEADLINE_HEADER,
  deadlineHeaders,
  deadlineIn,
  mulberry32,
  ResilienceEvents,
  VirtualClock,
} from "../../src/resilience/index.js";
import { settle } from "./virtual-time.js";

const down = async (): Promise<Response> => new Response(null, { status: 503 });

describe("composed policy", () => {
  it("retries within one call, then the breaker opens and later calls fail fast without touching the backend", async () => {
    const clock = new VirtualClock();
    const events = new ResilienceEvents();
    const log: string[] = [];
    events.onAttempt((e) => log.push(`attempt ${e.attempt} ${e.outcome}`));
    events.onBreakerStateChange((e) => log.push(`breaker ${e.to}`));
    const policy = createPolicy({
      name: "alertmanager",
      maxAttempts: 2,
      breaker: new CircuitBreaker({
        name: "alertmanager",
        strategy: { kind: "consecutive", threshold: 2 },
        halfOpenAfterMs: 60_000,
        clock,
        events,
      }),
      clock,
      random: mulberry32(1),
      events,
    });
    let backendCalls = 0;
    const call = () =>
      policy.execute(async () => {
        backendCalls++;
        return down();
      });
    await settle(clock, call());
    await settle(clock, call());
    const third = await settle(clock, call());
    expect(backendCalls).toBe(4);
    expect(!third.ok && (third.error as { code: string }).code).toBe("NINES_ERR_RESILIENCE_CIRCUIT_OPEN");
    expect(log).toEqual([
      "attempt 1 failure",
      "attempt 2 failure",
      "attempt 1 failure",
      "attempt 2 failure",
      "breaker open",
    ]);
  });

  it("honours the tighter of the policy's and the caller's deadline, and hands it to each attempt", async () => {
    const clock = new VirtualClock();
    const policy = createPolicy({ name: "prometheus", deadlineMs: 10_000, clock });
    let sent: Record<string, string> = {};
    await settle(
      clock,
      policy.execute(
        async ({ deadline }) => {
          sent = deadlineHeaders(deadline);
          return "ok";
        },
        { deadline: deadlineIn(3000, clock) },
      ),
    );
    expect(sent).toEqual({ [DEADLINE_HEADER]: "3000" });
  });

  it("shares one budget across calls so a dead backend sees about one request per call", async () => {
    const clock = new VirtualClock();
    const policy = createPolicy({
      name: "hooks",
      maxAttempts: 3,
      budget: createTokenBucketBudget({ maxTokens: 10, tokenRatio: 0.1 }),
      clock,
      random: mulberry32(4),
    });
    let backendCalls = 0;
    for (let i = 0; i < 100; i++) {
      await settle(
        clock,
        policy.execute(async () => {
          backendCalls++;
          return down();
        }),
      );
    }
    // Naive: 300 calls. The bucket allows retries only for the first few failures.
    expect(backendCalls).toBeLessThan(110);
    expect(backendCalls).toBeGreaterThanOrEqual(100);
  });

  it("never lets a shared ratio budget retry more than its share of calls, whatever fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (failures, percent) => {
          const clock = new VirtualClock();
          const budget = createRatioBudget({
            percentCanRetry: percent,
            minRetriesPerSecond: 0,
            ttlMs: 3_600_000,
            clock,
          });
          const policy = createPolicy({ name: "p", maxAttempts: 4, budget, clock, random: mulberry32(1) });
          let attempts = 0;
          for (const fails of failures) {
            await settle(
              clock,
              policy.execute(async () => {
                attempts++;
                return new Response(null, { status: fails ? 503 : 200 });
              }),
            );
          }
          const retries = attempts - failures.length;
          expect(retries).toBeLessThanOrEqual(percent * failures.length + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("passes the value of a successful call through", async () => {
    const policy = createPolicy({ name: "x", deadlineMs: 1000, attemptTimeoutMs: 500 });
    expect(await policy.execute(async ({ attempt }) => attempt)).toBe(1);
  });
});
