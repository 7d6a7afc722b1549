import { describe, expect, it } from "vitest";
import { type BatchShape, BatchShapes } from "../../src/slo/batch-shapes.js";

const shape = (ids: string[]): BatchShape<string> => ({
  ids,
  series: Uint32Array.from(ids, (_, i) => i),
  targets: ids,
  encodedIds: Buffer.from(ids.join("\u0000")),
});

describe("shapes of recent batches", () => {
  it("gives a shape back only for the same slots in the same order, kept as they were when set", () => {
    const shapes = new BatchShapes<string>();
    const slots = Int32Array.of(4, 7, 9);
    const kept = shape(["a", "b", "c"]);
    shapes.set(slots, kept);
    slots[0] = 5; // the caller's array is scratch memory: reused after set
    expect(shapes.get(Int32Array.of(4, 7, 9))).toBe(kept);
    expect(shapes.get(Int32Array.of(5, 7, 9))).toBeUndefined();
    expect(shapes.get(Int32Array.of(7, 4, 9))).toBeUndefined();
    expect(shapes.get(Int32Array.of(4, 7))).toBeUndefined();
    expect(shapes.get(Int32Array.of(4, 7, 9, 9))).toBeUndefined();
  });

  it("forgets every shape when cleared (the id index changed)", () => {
    const shapes = new BatchShapes<string>();
    shapes.set(Int32Array.of(1, 2), shape(["a", "b"]));
    shapes.clear();
    expect(shapes.get(Int32Array.of(1, 2))).toBeUndefined();
  });
});
