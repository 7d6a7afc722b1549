import type { SeriesBuffer } from "../../../src/tsdb/series-buffer.js";

/** A tick-aligned instant far from the epoch (2023-11-14T22:00:00Z, a whole hour and day in UTC). */
export const START = Date.UTC(2023, 10, 14, 22);

/** Writes one per-interval sample every `stepMs` in `(fromMs, toMs]`. */
export function steady(
  series: SeriesBuffer,
  fromMs: number,
  toMs: number,
  stepMs: number,
  good: number,
  total: number,
): void {
  for (let t = fromMs + stepMs; t <= toMs; t += stepMs) series.appendInterval(t, good, total);
}

/** Lists every value in a JSON-like structure that is a number but not finite. */
export function nonFinite(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  }
  return [];
}
