import type { Shift } from "./model.js";

export interface ShiftLoad extends Shift {
  readonly pages: number;
  /** True above the SRE book's ceiling of two incidents per 12-hour shift, scaled to the shift's length. */
  readonly overloaded: boolean;
}

const TWELVE_HOURS_MS = 12 * 3_600_000;

/**
 * Counts pages per shift (a page at t belongs to the shift with start <= t < end). SRE book ch. 11:
 * at most two incidents per 12-hour on-call shift leaves time to handle each one well.
 */
export function pagesPerShift(
  timeline: readonly Shift[],
  pages: readonly { readonly at: number }[],
): ShiftLoad[] {
  const counts = timeline.map(() => 0);
  for (const page of pages) {
    let lo = 0;
    let hi = timeline.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = timeline[mid] as Shift;
      if (page.at < s.start) hi = mid - 1;
      else if (page.at >= s.end) lo = mid + 1;
      else {
        counts[mid] = (counts[mid] ?? 0) + 1;
        break;
      }
    }
  }
  return timeline.map((s, i) => {
    const pages = counts[i] ?? 0;
    return { ...s, pages, overloaded: pages > (2 * (s.end - s.start)) / TWELVE_HOURS_MS };
  });
}
