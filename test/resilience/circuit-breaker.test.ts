import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BreakerStateChangeEvent,
  CircuitBreaker,
  ResilienceEvents,
  VirtualClock,
} from "../../src/resilience/index.js";

const fail = async (): Promise<never> => {
  throw new Error("backend down");
};
const ok = async () => "ok";
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string; message?: string }) => e.code ?? e.message,
  );

describe("consecutive-failure circuit breaker", () => {
  it("opens after threshold failures in a row and fails fast", async () => {
    const clock = new VirtualClock();
    const breaker = new CircuitBreaker({
      strategy: { kind: "consecutive", threshold: 3 },
      halfOpenAfterMs: 1000,
      clock,
    });
    for (let i = 0; i < 3; i++) expect(await codeOf(breaker.execute(fail))).toBe("backend down");
    expect(breaker.state).toBe("open");
    let called = false;
    const result = await codeOf(
      breaker.execute(async () => {
        called = true;
        return 1;
      }),
    );
    expect(result).toBe("NINES_ERR_RESILIENCE_CIRCUIT_OPEN");
    expect(called).toBe(false);
  });

  it("resets the count on a success", async () => {
    const breaker = new CircuitBreaker({
      strategy: { kind: "consecutive", threshold: 2 },
      halfOpenAfterMs: 1000,
    });
    await codeOf(breaker.execute(fail));
    await breaker.execute(ok);
    await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("closed");
  });

  it("lets one half-open probe through after halfOpenAfterMs; its success closes the breaker", async () => {
    const clock = new VirtualClock();
    const events = new ResilienceEvents();
    const changes: BreakerStateChangeEvent[] = [];
    events.onBreakerStateChange((e) => changes.push(e));
    const breaker = new CircuitBreaker({
      name: "alertmanager",
      strategy: { kind: "consecutive", threshold: 1 },
      halfOpenAfterMs: 5000,
      clock,
      events,
    });
    await codeOf(breaker.execute(fail));
    await clock.advance(4999);
    expect(await codeOf(breaker.execute(ok))).toBe("NINES_ERR_RESILIENCE_CIRCUIT_OPEN");
    await clock.advance(1);
    expect(breaker.state).toBe("half-open");
    let release!: () => void;
    const probe = breaker.execute(() => new Promise<string>((r) => (release = () => r("probe"))));
    expect(await codeOf(breaker.execute(ok))).toBe("NINES_ERR_RESILIENCE_CIRCUIT_OPEN");
    release();
    expect(await probe).toBe("probe");
    expect(breaker.state).toBe("closed");
    expect(changes.map((c) => `${c.from}>${c.to}@${c.atMs}`)).toEqual([
      "closed>open@0",
      "open>half-open@5000",
      "half-open>closed@5000",
    ]);
    expect(changes.every((c) => c.name === "alertmanager")).toBe(true);
  });

  it("reopens when the probe fails and waits a full halfOpenAfterMs again", async () => {
    const clock = new VirtualClock();
    const breaker = new CircuitBreaker({
      strategy: { kind: "consecutive", threshold: 1 },
      halfOpenAfterMs: 1000,
      clock,
    });
    await codeOf(breaker.execute(fail));
    await clock.advance(1000);
    await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("open");
    await clock.advance(999);
    expect(await codeOf(breaker.execute(ok))).toBe("NINES_ERR_RESILIENCE_CIRCUIT_OPEN");
  });

  it("does not count 4xx responses as failures", async () => {
    const breaker = new CircuitBreaker({
      strategy: { kind: "consecutive", threshold: 1 },
      halfOpenAfterMs: 1000,
    });
    await breaker.execute(async () => new Response(null, { status: 404 }));
    expect(breaker.state).toBe("closed");
    await breaker.execute(async () => new Response(null, { status: 503 }));
    expect(breaker.state).toBe("open");
  });

  it("never runs a call while open before halfOpenAfterMs has passed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ wait: fc.integer({ min: 0, max: 400 }), fails: fc.boolean() }), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, threshold) => {
          const clock = new VirtualClock();
          const breaker = new CircuitBreaker({
            strategy: { kind: "consecutive", threshold },
            halfOpenAfterMs: 1000,
            clock,
          });
          let openedAt: number | undefined;
          let streak = 0;
          for (const step of steps) {
            await clock.advance(step.wait);
            const stateBefore = breaker.state;
            let ran = false;
            await codeOf(
              breaker.execute(async () => {
                ran = true;
                if (step.fails) throw new Error("x");
                return 1;
              }),
            );
            if (openedAt !== undefined && clock.now() - openedAt < 1000) expect(ran).toBe(false);
            if (ran) {
              streak = step.fails ? streak + 1 : 0;
              if (stateBefore === "half-open") openedAt = step.fails ? clock.now() : undefined;
              else if (streak >= threshold) openedAt = clock.now();
              if (!step.fails) openedAt = undefined;
              if (openedAt === undefined && !step.fails) streak = 0;
            }
            expect(breaker.state === "open").toBe(openedAt !== undefined && clock.now() - openedAt < 1000);
          }
        },
      ),
    );
  });
});

describe("sampling circuit breaker", () => {
  const options = (clock: VirtualClock) =>
    ({
      strategy: { kind: "sampling", failureRate: 0.5, windowMs: 10_000, minimumThroughput: 10 },
      halfOpenAfterMs: 1000,
      clock,
    }) as const;

  it("stays closed below the minimum throughput even at 100% failures", async () => {
    const breaker = new CircuitBreaker(options(new VirtualClock()));
    for (let i = 0; i < 9; i++) await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("closed");
    await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("open");
  });

  it("opens when half of the calls in the window fail", async () => {
    const breaker = new CircuitBreaker(options(new VirtualClock()));
    for (let i = 0; i < 6; i++) await breaker.execute(ok);
    for (let i = 0; i < 5; i++) await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("closed");
    await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("open");
  });

  it("forgets failures that slid out of the window", async () => {
    const clock = new VirtualClock();
    const breaker = new CircuitBreaker(options(clock));
    for (let i = 0; i < 9; i++) await codeOf(breaker.execute(fail));
    await clock.advance(10_000);
    for (let i = 0; i < 9; i++) await breaker.execute(ok);
    await codeOf(breaker.execute(fail));
    expect(breaker.state).toBe("closed");
  });
});
