import { describe, expect, it } from "vitest";
import { sleep, systemClock, VirtualClock } from "../../src/resilience/index.js";

describe("system clock watchdogs", () => {
  it("fire in due order and never after being cancelled", async () => {
    const fired: string[] = [];
    const setWatchdog = systemClock.setWatchdog!;
    let done!: () => void;
    const allFired = new Promise<void>((resolve) => (done = resolve));
    setWatchdog(30, () => {
      fired.push("30");
      done();
    });
    setWatchdog(10, () => fired.push("10"));
    const cancel = setWatchdog(20, () => fired.push("20"));
    cancel();
    for (let i = 0; i < 200; i++) setWatchdog(5, () => {})();
    await allFired;
    expect(fired).toEqual(["10", "30"]);
  });
});

describe("virtual clock", () => {
  it("fires timers in time order, ties in the order they were set", async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push("b"));
    clock.setTimer(10, () => fired.push("a"));
    clock.setTimer(20, () => fired.push("c"));
    await clock.advance(15);
    expect(fired).toEqual(["a"]);
    expect(clock.now()).toBe(15);
    await clock.runAll();
    expect(fired).toEqual(["a", "b", "c"]);
    expect(clock.now()).toBe(20);
  });

  it("runs promise chains between timers so a retry loop can sleep repeatedly", async () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(clock, 100);
        times.push(clock.now());
      }
    })();
    await clock.runAll();
    await loop;
    expect(times).toEqual([100, 200, 300]);
  });

  it("rejects a sleep whose signal aborts", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const slept = sleep(clock, 1000, controller.signal).catch((e: Error) => e.message);
    controller.abort(new Error("stop"));
    expect(await slept).toBe("stop");
    expect(clock.pending).toBe(0);
  });
});
