import { describe, expect, it } from "vitest";
import {
  DEADLINE_HEADER,
  deadlineFromHeaders,
  deadlineHeaders,
  deadlineIn,
  deadlineSignal,
  earliestDeadline,
  remainingMs,
  VirtualClock,
} from "../../src/resilience/index.js";

describe("deadline propagation", () => {
  it("sends the remaining budget and the callee reads it back on its own clock", async () => {
    const caller = new VirtualClock();
    const deadline = deadlineIn(2000, caller);
    await caller.advance(750);
    const headers = deadlineHeaders(deadline, 50);
    expect(headers).toEqual({ [DEADLINE_HEADER]: "1200" });
    const callee = new VirtualClock(1_000_000);
    const received = deadlineFromHeaders(headers, { clock: callee });
    expect(received && remainingMs(received)).toBe(1200);
  });

  it("caps a propagated deadline at the server's maximum and ignores malformed values", () => {
    const clock = new VirtualClock();
    const capped = deadlineFromHeaders({ [DEADLINE_HEADER]: "999999" }, { clock, maxMs: 30_000 });
    expect(capped && remainingMs(capped)).toBe(30_000);
    expect(deadlineFromHeaders({ [DEADLINE_HEADER]: "-1" }, { clock })).toBeUndefined();
    expect(deadlineFromHeaders({ [DEADLINE_HEADER]: "1.5e3" }, { clock })).toBeUndefined();
    expect(deadlineFromHeaders({}, { clock })).toBeUndefined();
    expect(deadlineFromHeaders(new Headers({ [DEADLINE_HEADER]: "10" }), { clock })).toBeDefined();
  });

  it("never sends a negative budget", async () => {
    const clock = new VirtualClock();
    const deadline = deadlineIn(10, clock);
    await clock.advance(50);
    expect(deadlineHeaders(deadline)).toEqual({ [DEADLINE_HEADER]: "0" });
    expect(deadlineHeaders(undefined)).toEqual({});
  });

  it("aborts the server's work signal with DEADLINE_EXCEEDED when the deadline passes", async () => {
    const clock = new VirtualClock();
    const { signal, dispose } = deadlineSignal(deadlineIn(100, clock));
    await clock.advance(99);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as { code: string }).code).toBe("NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED");
    dispose();
  });

  it("aborts the work signal with the parent's reason when the parent aborts first", () => {
    const clock = new VirtualClock();
    const parent = new AbortController();
    const { signal } = deadlineSignal(deadlineIn(100, clock), parent.signal);
    parent.abort(new Error("client left"));
    expect((signal.reason as Error).message).toBe("client left");
  });

  it("picks the earlier of two deadlines", () => {
    const clock = new VirtualClock();
    const a = deadlineIn(100, clock);
    const b = deadlineIn(50, clock);
    expect(earliestDeadline(a, b)).toBe(b);
    expect(earliestDeadline(undefined, a)).toBe(a);
  });
});
