/**
 * The naive peer for benchmarks and tests: raw samples in arrays (appended in time order), every
 * window sum recomputed by scanning the samples in the window.
 */
export class NaiveSeries {
  ts: number[] = [];
  good: number[] = [];
  total: number[] = [];

  append(ts: number, good: number, total: number): void {
    this.ts.push(ts);
    this.good.push(good);
    this.total.push(total);
  }

  /** Good and total of samples with `fromMs < ts <= toMs`, into `out[offset]`, `out[offset + 1]`. */
  sumInto(fromMs: number, toMs: number, out: Float64Array, offset: number): void {
    const ts = this.ts;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= fromMs) lo = mid + 1;
      else hi = mid;
    }
    let g = 0;
    let t = 0;
    for (let i = lo; i < ts.length && ts[i]! <= toMs; i++) {
      g += this.good[i]!;
      t += this.total[i]!;
    }
    out[offset] = g;
    out[offset + 1] = t;
  }
}

/** Deterministic 32-bit PRNG for benchmark data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
