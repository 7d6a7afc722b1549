/** A half-open span of time [start, end) in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function unionIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && i.start <= last.end) {
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, i.end) };
    } else {
      out.push(i);
    }
  }
  return out;
}

/** Parts of each `spans` item that fall inside the (sorted, disjoint) `windows`, keeping the item's data. */
export function clipToWindows<T extends Interval>(spans: readonly T[], windows: readonly Interval[]): T[] {
  const out: T[] = [];
  for (const span of spans) {
    for (const w of windows) {
      if (w.start >= span.end) break;
      const start = Math.max(span.start, w.start);
      const end = Math.min(span.end, w.end);
      if (end > start) out.push({ ...span, start, end });
    }
  }
  return out;
}
