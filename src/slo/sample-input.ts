import type { Slo } from "./model.js";

/** One pushed sample as the API takes it (see slo.schemas.ts). */
export interface SampleInput {
  readonly slo: string;
  /** Unix ms, or an RFC 3339 string. */
  readonly ts: number | string;
  readonly good?: number;
  readonly bad?: number;
  readonly total?: number;
  /** Latency histogram: cumulative count per bucket bound in seconds ("0.25", "+Inf"). */
  readonly buckets?: Readonly<Record<string, number>>;
}

export interface CounterReading {
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

export interface SampleRejection {
  readonly index: number;
  readonly reason: string;
}

export interface IntervalSample {
  readonly sloId: string;
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

/** Time bounds of accepted samples. */
export interface SampleBounds {
  readonly now: number;
  /** How far in the past a sample may be (the store's retention). */
  readonly retentionMs: number;
  /** How far in the future a sample may be (clock skew). */
  readonly futureToleranceMs: number;
}

export interface ConvertOptions extends SampleBounds {
  readonly slos: ReadonlyMap<string, Slo>;
  /** Readings are cumulative counters (since process start) rather than counts per interval. */
  readonly cumulative: boolean;
  /** Last stored counter reading per SLO (cumulative batches only). */
  readonly readings: ReadonlyMap<string, CounterReading>;
}

export interface ConvertResult {
  readonly samples: IntervalSample[];
  readonly rejections: SampleRejection[];
  /** New counter readings to store (cumulative batches). */
  readonly readings: Map<string, CounterReading>;
}

/**
 * Validates a pushed batch and turns it into per-interval (good, total) samples. Every problem
 * is reported with the sample's index; the caller stores nothing when any sample is rejected.
 * Cumulative readings become the increase since the previous reading; a decrease is a counter
 * reset (the new value counts from zero); a reading equal to the last one is a retry and adds nothing.
 */
export function convertSamples(inputs: readonly SampleInput[], options: ConvertOptions): ConvertResult {
  const rejections: SampleRejection[] = [];
  const parsed: { index: number; sloId: string; ts: number; good: number; total: number }[] = [];
  for (const [index, input] of inputs.entries()) {
    const checked = checkSample(input, options);
    if (typeof checked === "string") rejections.push({ index, reason: checked });
    else parsed.push({ index, ...checked });
  }

  if (rejections.length > 0 || !options.cumulative) {
    return { samples: parsed.map(({ index: _i, ...s }) => s), rejections, readings: new Map() };
  }

  const readings = new Map(options.readings);
  const samples: IntervalSample[] = [];
  for (const p of [...parsed].sort((a, b) => a.ts - b.ts || a.index - b.index)) {
    const last = readings.get(p.sloId);
    if (last && p.ts < last.ts) {
      rejections.push({
        index: p.index,
        reason: `counter reading at ${p.ts} is older than the last one (${last.ts})`,
      });
      continue;
    }
    if (last && p.ts === last.ts) {
      if (p.good !== last.good || p.total !== last.total) {
        rejections.push({
          index: p.index,
          reason: `a different counter reading at ${p.ts} was already stored`,
        });
      }
      continue;
    }
    readings.set(p.sloId, { ts: p.ts, good: p.good, total: p.total });
    if (!last) continue;
    const reset = p.total < last.total || p.good < last.good;
    samples.push({
      sloId: p.sloId,
      ts: p.ts,
      good: reset ? p.good : p.good - last.good,
      total: reset ? p.total : p.total - last.total,
    });
  }
  return { samples, rejections, readings };
}

function checkSample(input: SampleInput, options: ConvertOptions): IntervalSample | string {
  const slo = options.slos.get(input.slo);
  if (!slo) return `unknown SLO "${input.slo}": apply its spec first (nines slo apply -f)`;
  const ts = typeof input.ts === "string" ? Date.parse(input.ts) : input.ts;
  if (!Number.isFinite(ts)) return `ts "${input.ts}" is not a Unix time in ms or an RFC 3339 time`;
  if (ts < options.now - options.retentionMs)
    return `ts ${new Date(ts).toISOString()} is older than the retention`;
  if (ts > options.now + options.futureToleranceMs)
    return `ts ${new Date(ts).toISOString()} is in the future`;
  const counts = countsOf(input, slo);
  return typeof counts === "string" ? counts : { sloId: slo.id, ts, ...counts };
}

function countsOf(input: SampleInput, slo: Slo): { good: number; total: number } | string {
  if (input.buckets !== undefined) {
    if (slo.sli.kind !== "latency")
      return `SLO ${slo.id} has a ratio SLI: send good or bad with total, not buckets`;
    const threshold = slo.sli.thresholdSeconds;
    let good: number | undefined;
    let total: number | undefined;
    let previous = -1;
    const bounds = Object.entries(input.buckets)
      .map(([le, count]) => ({ le: le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), label: le, count }))
      .sort((a, b) => a.le - b.le);
    for (const b of bounds) {
      if (Number.isNaN(b.le)) return `bucket bound "${b.label}" is not a number or "+Inf"`;
      if (!(Number.isFinite(b.count) && b.count >= 0))
        return `bucket "${b.label}" count must be a number ≥ 0`;
      if (b.count < previous)
        return `bucket "${b.label}" count ${b.count} is below a smaller bucket's (${previous}): counts are cumulative`;
      previous = b.count;
      if (b.le === threshold) good = b.count;
      if (b.le === Number.POSITIVE_INFINITY) total = b.count;
    }
    if (good === undefined) return `no bucket at the SLO's threshold le="${threshold}"`;
    if (total === undefined) return `no "+Inf" bucket: it carries the total count`;
    return { good, total };
  }
  if (slo.sli.kind === "latency") return `SLO ${slo.id} has a latency SLI: send buckets`;
  const { good, bad, total } = input;
  if (total === undefined) return "total is required";
  if ((good === undefined) === (bad === undefined)) return "send exactly one of good or bad";
  const part = good ?? bad!;
  for (const [name, value] of [
    ["total", total],
    [good === undefined ? "bad" : "good", part],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) return `${name} must be a finite number ≥ 0, got ${value}`;
  }
  if (part > total) return `${good === undefined ? "bad" : "good"} (${part}) is larger than total (${total})`;
  return { good: good ?? total - bad!, total };
}
