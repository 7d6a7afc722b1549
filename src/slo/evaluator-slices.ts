import type { SeriesBuffer } from "../tsdb/series-buffer.js";

/**
 * Counts bad timeslices in the SLO window for timeslices budgeting: a slice `(end − sliceMs, end]`
 * is good when its good/total ratio is at least `sliceTarget`, or when it saw no events. Each
 * slice is judged once, on the first tick at or after its end (samples arriving later do not change
 * it), and only slices ending after the SLO was registered are judged; earlier ones count as good.
 * Rolling windows keep one bit per slice in a ring; calendar windows reset at each period start.
 */
export class SliceTracker {
  readonly sliceMs: number;
  readonly sliceTarget: number;
  /** Slices in a rolling window; 0 for calendar windows. */
  readonly capacity: number;
  /** The rolling window length, or null for calendar windows. */
  readonly rollingLengthMs: number | null;
  private readonly bits: Uint8Array;
  private nextEnd = Number.NaN;
  private periodStart = Number.NaN;
  bad = 0;

  constructor(sliceMs: number, sliceTarget: number, rollingLengthMs: number | null) {
    this.sliceMs = sliceMs;
    this.sliceTarget = sliceTarget;
    this.rollingLengthMs = rollingLengthMs;
    this.capacity = rollingLengthMs === null ? 0 : Math.floor(rollingLengthMs / sliceMs);
    this.bits = new Uint8Array(Math.ceil(this.capacity / 8));
  }

  /** Judges every slice that ended by `nowMs`; `periodStartMs` is the calendar period start (or NaN). */
  update(series: SeriesBuffer, nowMs: number, periodStartMs: number): void {
    const slice = this.sliceMs;
    const lastEnd = Math.floor(nowMs / slice) * slice;
    if (Number.isNaN(this.nextEnd)) this.nextEnd = lastEnd;
    if (this.capacity === 0 && periodStartMs !== this.periodStart) {
      this.periodStart = periodStartMs;
      this.bad = 0;
      if (this.nextEnd <= periodStartMs) this.nextEnd = Math.ceil((periodStartMs + 1) / slice) * slice;
    }
    if (this.capacity > 0 && (lastEnd - this.nextEnd) / slice >= this.capacity) {
      this.bits.fill(0);
      this.bad = 0;
      this.nextEnd = lastEnd - (this.capacity - 1) * slice;
    }
    for (let end = this.nextEnd; end <= lastEnd; end += slice) {
      const s = series.sum(end - slice, end);
      const isBad = s.total > 0 && s.good / s.total < this.sliceTarget;
      if (this.capacity > 0) {
        const k = Math.floor(end / slice) % this.capacity;
        const byte = k >> 3;
        const bit = 1 << (k & 7);
        if (this.bits[byte]! & bit) this.bad--;
        this.bits[byte] = isBad ? this.bits[byte]! | bit : this.bits[byte]! & ~bit;
      }
      if (isBad) this.bad++;
    }
    if (lastEnd >= this.nextEnd) this.nextEnd = lastEnd + slice;
  }
}
