import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aimdLimit,
  gradientLimit,
  LoadShedder,
  type Release,
  ResilienceEvents,
  type ShedEvent,
  VirtualClock,
} from "../../src/resilience/index.js";

const reason = (p: Promise<unknown>) =>
  p.then(
    () => "admitted",
    (e: { code?: string; details?: { reason?: string } }) => `${e.code}:${e.details?.reason}`,
  );

describe("load shedder", () => {
  it("rejects at once past the in-flight limit when there is no queue", async () => {
    const shedder = new LoadShedder({ limit: 2, criticalHeadroom: 0 });
    await shedder.acquire();
    await shedder.acquire();
    expect(await reason(shedder.acquire())).toBe("NINES_ERR_RESILIENCE_SHED:concurrency");
    expect(shedder.inFlight).toBe(2);
  });

  it("takes a slot synchronously with tryAcquire, or reports a shed", () => {
    const events = new ResilienceEvents();
    const reasons: string[] = [];
    events.onShed((e) => reasons.push(e.reason));
    const shedder = new LoadShedder({ limit: 1, criticalHeadroom: 0, events });
    const release = shedder.tryAcquire();
    expect(release).toBeTypeOf("function");
    expect(shedder.tryAcquire()).toBeUndefined();
    release!();
    expect(shedder.tryAcquire()).toBeTypeOf("function");
    expect(reasons).toEqual(["concurrency"]);
  });

  it("frees a slot on release, once even if released twice", async () => {
    const shedder = new LoadShedder({ limit: 1, criticalHeadroom: 0 });
    const release = await shedder.acquire();
    release();
    release();
    expect(shedder.inFlight).toBe(0);
    await shedder.acquire();
    expect(shedder.inFlight).toBe(1);
  });

  it("sheds a queued request whose queue time passes maxQueueTimeMs", async () => {
    const clock = new VirtualClock();
    const events = new ResilienceEvents();
    const shed: ShedEvent[] = [];
    events.onShed((e) => shed.push(e));
    const shedder = new LoadShedder({
      limit: 1,
      maxQueue: 5,
      maxQueueTimeMs: 50,
      criticalHeadroom: 0,
      clock,
      events,
    });
    await shedder.acquire();
    const waiting = reason(shedder.acquire());
    await clock.advance(49);
    expect(shedder.queued).toBe(1);
    await clock.advance(1);
    expect(await waiting).toBe("NINES_ERR_RESILIENCE_SHED:queue-time");
    expect(shed).toEqual([
      { name: "server", reason: "queue-time", criticality: "default", inFlight: 1, queued: 0, limit: 1 },
    ]);
  });

  it("admits queued requests highest criticality first", async () => {
    const clock = new VirtualClock();
    const shedder = new LoadShedder({
      limit: 1,
      maxQueue: 5,
      maxQueueTimeMs: 1000,
      criticalHeadroom: 0,
      clock,
    });
    const first = await shedder.acquire();
    const order: string[] = [];
    const queue = (c: "critical" | "default" | "sheddable") =>
      shedder.acquire(c).then((release: Release) => {
        order.push(c);
        release();
      });
    const all = Promise.all([queue("sheddable"), queue("default"), queue("critical")]);
    first();
    await all;
    expect(order).toEqual(["critical", "default", "sheddable"]);
  });

  it("evicts a sheddable request from a full queue to make room for a critical one", async () => {
    const clock = new VirtualClock();
    const shedder = new LoadShedder({
      limit: 1,
      maxQueue: 1,
      maxQueueTimeMs: 1000,
      criticalHeadroom: 0,
      clock,
    });
    await shedder.acquire();
    const sheddable = reason(shedder.acquire("sheddable"));
    const critical = shedder.acquire("critical");
    expect(await sheddable).toBe("NINES_ERR_RESILIENCE_SHED:evicted");
    expect(await reason(shedder.acquire("sheddable"))).toBe("NINES_ERR_RESILIENCE_SHED:queue-full");
    expect(shedder.queued).toBe(1);
    void critical;
  });

  it("keeps headroom for critical requests: at 10% headroom and limit 10, sheddable stops at 8, default at 9", async () => {
    const shedder = new LoadShedder({ limit: 10, criticalHeadroom: 0.1 });
    for (let i = 0; i < 8; i++) await shedder.acquire("sheddable");
    expect(await reason(shedder.acquire("sheddable"))).toBe("NINES_ERR_RESILIENCE_SHED:concurrency");
    expect(await reason(shedder.acquire("default"))).toBe("admitted");
    expect(await reason(shedder.acquire("default"))).toBe("NINES_ERR_RESILIENCE_SHED:concurrency");
    expect(await reason(shedder.acquire("critical"))).toBe("admitted");
    expect(await reason(shedder.acquire("critical"))).toBe("NINES_ERR_RESILIENCE_SHED:concurrency");
  });

  it("carries Retry-After seconds on the shed error", async () => {
    const shedder = new LoadShedder({ limit: 1, retryAfterSeconds: 3, criticalHeadroom: 0 });
    await shedder.acquire();
    const error = await shedder.acquire().catch((e: unknown) => e);
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBe(3);
    expect((error as { statusCode: number }).statusCode).toBe(503);
  });

  it("removes a queued request whose caller aborts", async () => {
    const shedder = new LoadShedder({
      limit: 1,
      maxQueue: 2,
      criticalHeadroom: 0,
      clock: new VirtualClock(),
    });
    await shedder.acquire();
    const controller = new AbortController();
    const waiting = shedder.acquire("default", controller.signal).catch((e: unknown) => e);
    controller.abort(new Error("gone"));
    expect(((await waiting) as Error).message).toBe("gone");
    expect(shedder.queued).toBe(0);
  });
});

describe("load shedder invariants", () => {
  it("never has more requests in flight than the limit nor more queued than maxQueue", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant("acquire" as const),
              c: fc.constantFrom("critical", "default", "sheddable" as const),
            }),
            fc.record({ op: fc.constant("release" as const), i: fc.nat() }),
            fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 80 }) }),
          ),
          { maxLength: 80 },
        ),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        async (ops, limit, maxQueue) => {
          const clock = new VirtualClock();
          const shedder = new LoadShedder({ limit, maxQueue, maxQueueTimeMs: 50, clock });
          const held: Release[] = [];
          for (const step of ops) {
            if (step.op === "acquire") {
              shedder.acquire(step.c).then(
                (release) => held.push(release),
                () => {},
              );
            } else if (step.op === "release" && held.length > 0) {
              held.splice(step.i % held.length, 1)[0]!();
            } else if (step.op === "wait") {
              await clock.advance(step.ms);
            }
            await clock.advance(0);
            expect(shedder.inFlight).toBeLessThanOrEqual(limit);
            expect(shedder.queued).toBeLessThanOrEqual(maxQueue);
            expect(shedder.inFlight).toBe(held.length);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("adaptive limits", () => {
  it("AIMD grows by one while busy and fast, and cuts by 10% on a slow request", () => {
    const limit = aimdLimit({ initial: 10, latencyThresholdMs: 100 });
    limit.update(20, 6, false);
    expect(limit.limit).toBe(11);
    limit.update(20, 2, false);
    expect(limit.limit).toBe(11);
    limit.update(500, 11, false);
    expect(limit.limit).toBe(9);
    limit.update(10, 9, true);
    expect(limit.limit).toBe(8);
  });

  it("AIMD never goes below min", () => {
    const limit = aimdLimit({ initial: 3, min: 2, latencyThresholdMs: 1 });
    for (let i = 0; i < 20; i++) limit.update(100, 3, true);
    expect(limit.limit).toBe(2);
  });

  it("gradient limit shrinks when latency rises well above its long-term average and grows when steady", () => {
    const limit = gradientLimit({ initial: 50, tolerance: 1.5 });
    for (let i = 0; i < 100; i++) limit.update(10, 40, false);
    const steady = limit.limit;
    expect(steady).toBeGreaterThan(50);
    for (let i = 0; i < 30; i++) limit.update(100, steady, false);
    expect(limit.limit).toBeLessThan(steady);
  });

  it("sheds with an adaptive limit once it has shrunk", async () => {
    const clock = new VirtualClock();
    const shedder = new LoadShedder({
      limit: aimdLimit({ initial: 4, latencyThresholdMs: 100 }),
      criticalHeadroom: 0,
      clock,
    });
    for (let i = 0; i < 4; i++) {
      const release = await shedder.acquire();
      await clock.advance(500);
      release();
    }
    expect(shedder.limit).toBeLessThan(4);
  });
});
