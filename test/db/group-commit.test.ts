import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupCommit } from "../../src/db/group-commit.js";

describe("group commit", () => {
  it("writes calls that arrive during a write together in the next batch, each caller getting its own results", async () => {
    const batches: number[][] = [];
    let release: (() => void) | undefined;
    const write = groupCommit(async (items: readonly number[]) => {
      batches.push([...items]);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((n) => n * 10);
    });
    const first = write([1]);
    const second = write([2, 3]);
    const third = write([4]);
    release?.();
    expect(await first).toEqual([10]);
    expect(await second).toEqual([20, 30]);
    expect(await third).toEqual([40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("fails every call of a failed batch and goes on with the next one", async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const write = groupCommit(async (items: readonly string[]) => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      if (calls === 2) throw new Error("disk full");
      return items.map((s) => s.toUpperCase());
    });
    const first = write(["a"]);
    const second = write(["b"]);
    const third = write(["c"]);
    release?.();
    expect(await first).toEqual(["A"]);
    await expect(second).rejects.toThrow("disk full");
    await expect(third).rejects.toThrow("disk full");
    expect(await write(["d"])).toEqual(["D"]);
  });

  it("keeps every item's result with its caller for any mix of call sizes and batch limits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer(), { maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        async (calls, maxItems) => {
          const sizes: number[] = [];
          const write = groupCommit(async (items: readonly number[]) => {
            sizes.push(items.length);
            await Promise.resolve();
            return items.map((n) => n + 1);
          }, maxItems);
          const results = await Promise.all(calls.map((items) => write(items)));
          expect(results).toEqual(calls.map((items) => items.map((n) => n + 1)));
          // A batch exceeds the limit only when one call alone is larger than it.
          for (const size of sizes)
            expect(size <= maxItems || calls.some((c) => c.length === size)).toBe(true);
        },
      ),
    );
  });
});
