export * from "./errors.js";
export { histogramCounts, thresholdIndex } from "./histogram-counts.js";
export type { RangePoint } from "./range-point.js";
export type { Sample } from "./sample.js";
export { type SampleKind, SeriesBuffer } from "./series-buffer.js";
export { SeriesLayout } from "./series-layout.js";
export { SliStore, type SliStoreOptions } from "./sli-store.js";
export { DEFAULT_TIERS, type TierSpec } from "./tier.js";
export type { BoundedWindowSum, WindowSum } from "./window-sum.js";
