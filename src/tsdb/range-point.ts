/** One point of a chart range: events in `(at - step, at]`. */
export interface RangePoint {
  readonly at: number;
  readonly good: number;
  readonly total: number;
}
