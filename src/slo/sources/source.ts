import type { SliSource, Slo } from "../model.js";
import { SourceRangeInvalidError } from "./errors.js";

/** Good and total events of one step, reported at the step's end (as pushed interval samples are). */
export interface SourceSample {
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

/**
 * Steps ending at `fromMs + stepMs`, `fromMs + 2·stepMs`, … `toMs`: the range `(fromMs, toMs]`
 * cut into `(toMs - fromMs) / stepMs` whole steps.
 */
export interface StepRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
}

export interface SourceReadOptions {
  readonly signal?: AbortSignal;
}

export interface SourceRead {
  readonly samples: readonly SourceSample[];
  /** Notes from the backend (its warnings, values left out) for the SLO's status. */
  readonly warnings: readonly string[];
}

/**
 * Where an SLO's SLI comes from. A push source is fed by `POST /api/v1/sli/samples` (and
 * remote-write); a pulled source (Prometheus and compatible APIs) is read by nines itself, each
 * tick and to back-fill history. Both end up as samples in the same log and SLI store.
 */
export interface Source {
  readonly kind: SliSource["kind"];
  /** True when nines must fetch the samples; false when they are sent to nines. */
  readonly pulled: boolean;
  /** One sample per step of `range`, oldest first. */
  read(range: StepRange, options?: SourceReadOptions): Promise<SourceRead>;
}

/** Grid timestamps of a range (step ends), after checking that it is whole steps. */
export function stepEnds(range: StepRange): number[] {
  const { fromMs, toMs, stepMs } = range;
  const span = toMs - fromMs;
  if (!(Number.isSafeInteger(fromMs) && Number.isSafeInteger(toMs) && Number.isSafeInteger(stepMs)))
    throw new SourceRangeInvalidError(`range ${fromMs}..${toMs} step ${stepMs} is not whole milliseconds`);
  if (!(stepMs >= 1000 && span > 0 && span % stepMs === 0))
    throw new SourceRangeInvalidError(
      `range (${fromMs}, ${toMs}] is not a positive whole number of ${stepMs} ms steps (at least 1 s)`,
      { fromMs, toMs, stepMs },
    );
  const out: number[] = [];
  for (let at = fromMs + stepMs; at <= toMs; at += stepMs) out.push(at);
  return out;
}

/** Cuts a range into consecutive ranges of at most `maxSteps` steps each, oldest first. */
export function chunkRange(range: StepRange, maxSteps: number): StepRange[] {
  const steps = (range.toMs - range.fromMs) / range.stepMs;
  const chunks: StepRange[] = [];
  for (let i = 0; i < steps; i += maxSteps) {
    const fromMs = range.fromMs + i * range.stepMs;
    chunks.push({
      fromMs,
      toMs: Math.min(range.toMs, fromMs + maxSteps * range.stepMs),
      stepMs: range.stepMs,
    });
  }
  return chunks;
}

/**
 * Samples already in the log, summed per step: what a push source "reads". `samplesOf` is the
 * SLO store's query (all samples of an SLO since a time).
 */
export function pushSource(
  slo: Slo,
  samplesOf: (sloId: string, sinceMs: number) => Promise<readonly SourceSample[]>,
): Source {
  return {
    kind: "push",
    pulled: false,
    async read(range) {
      const ends = stepEnds(range);
      const good = new Float64Array(ends.length);
      const total = new Float64Array(ends.length);
      for (const s of await samplesOf(slo.id, range.fromMs)) {
        if (s.ts <= range.fromMs || s.ts > range.toMs) continue;
        const i = Math.ceil((s.ts - range.fromMs) / range.stepMs) - 1;
        good[i] = good[i]! + s.good;
        total[i] = total[i]! + s.total;
      }
      return { samples: ends.map((ts, i) => ({ ts, good: good[i]!, total: total[i]! })), warnings: [] };
    },
  };
}
