/**
 * A concurrency limit that adapts to what the server observes, after Netflix's
 * concurrency-limits. `update` is called once per finished request.
 */
export interface AdaptiveLimit {
  readonly limit: number;
  /** `latencyMs` of the finished request, the in-flight count when it started, and whether it was dropped/overloaded. */
  update(latencyMs: number, inFlight: number, dropped: boolean): void;
}

export interface AimdOptions {
  readonly initial: number;
  readonly min?: number;
  readonly max?: number;
  /** Multiplicative decrease factor on a drop or slow request (default 0.9). */
  readonly backoffRatio?: number;
  /** A request slower than this counts as a congestion signal. */
  readonly latencyThresholdMs: number;
}

/**
 * Additive increase, multiplicative decrease: +1 when the limit was in use and requests are
 * fast, × backoffRatio when one is slow or dropped.
 * @example const limit = aimdLimit({ initial: 20, latencyThresholdMs: 250 });
 */
export function aimdLimit(options: AimdOptions): AdaptiveLimit {
  const min = options.min ?? 1;
  const max = options.max ?? 1000;
  const ratio = options.backoffRatio ?? 0.9;
  let limit = options.initial;
  return {
    get limit() {
      return limit;
    },
    update(latencyMs, inFlight, dropped) {
      if (dropped || latencyMs > options.latencyThresholdMs) limit = Math.max(min, Math.floor(limit * ratio));
      else if (inFlight * 2 >= limit) limit = Math.min(max, limit + 1);
    },
  };
}

export interface GradientOptions {
  readonly initial: number;
  readonly min?: number;
  readonly max?: number;
  /** How much of each new estimate is taken (default 0.2). */
  readonly smoothing?: number;
  /** Latency growth tolerated before shrinking (default 1.5). */
  readonly tolerance?: number;
  /** Samples over which the long-term latency average is taken (default 600). */
  readonly longWindow?: number;
}

/**
 * Gradient limit (Netflix Gradient2): compares the short-term latency with a long-term average;
 * when latency rises the gradient falls below 1 and the limit shrinks, otherwise it grows by
 * about √limit (the allowed queue).
 */
export function gradientLimit(options: GradientOptions): AdaptiveLimit {
  const min = options.min ?? 1;
  const max = options.max ?? 1000;
  const smoothing = options.smoothing ?? 0.2;
  const tolerance = options.tolerance ?? 1.5;
  const longWindow = options.longWindow ?? 600;
  let limit = options.initial;
  let longRtt = 0;
  let samples = 0;
  return {
    get limit() {
      return Math.floor(limit);
    },
    update(latencyMs, inFlight, dropped) {
      samples = Math.min(samples + 1, longWindow);
      longRtt = samples === 1 ? latencyMs : longRtt + (latencyMs - longRtt) / samples;
      if (!dropped && inFlight < limit / 2) return;
      const gradient = Math.max(0.5, Math.min(1, (tolerance * longRtt) / Math.max(latencyMs, 1e-9)));
      const target = dropped ? limit * 0.5 : limit * gradient + Math.sqrt(limit);
      limit = Math.max(min, Math.min(max, limit * (1 - smoothing) + target * smoothing));
    },
  };
}
