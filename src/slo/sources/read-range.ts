import { tryParseDuration } from "../duration.js";
import { MAX_POINTS_PER_QUERY } from "./prometheus-source.js";
import { chunkRange, type Source, type SourceSample, type StepRange } from "./source.js";

/**
 * A time argument such as `--from`: RFC 3339 (`2024-03-01T00:00:00Z`), unix seconds (below 1e11)
 * or milliseconds, `now`, or `now-<duration>` (`now-7d`). Undefined when it is none of these.
 */
export function parseTimeArg(text: string, nowMs: number): number | undefined {
  const t = text.trim();
  if (t === "now") return nowMs;
  const relative = /^now-(.+)$/.exec(t);
  if (relative) {
    const ms = tryParseDuration(relative[1]!);
    return ms === undefined ? undefined : nowMs - ms;
  }
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return Math.round(n < 1e11 ? n * 1000 : n);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The whole steps of `(fromMs, toMs]`: `fromMs` moves forward to the first step boundary counted back from `toMs`. */
export function wholeSteps(fromMs: number, toMs: number, stepMs: number): StepRange {
  const steps = Math.floor((toMs - fromMs) / stepMs);
  return { fromMs: toMs - steps * stepMs, toMs, stepMs };
}

export interface ReadRangeProgress {
  readonly doneSteps: number;
  readonly steps: number;
  readonly atMs: number;
}

/**
 * Reads a long range from a source chunk by chunk (at most {@link MAX_POINTS_PER_QUERY} steps a
 * request), yielding samples oldest first: what `nines slo backtest` feeds the evaluator.
 */
export async function* readRange(
  source: Source,
  range: StepRange,
  options: { signal?: AbortSignal; onChunk?: (progress: ReadRangeProgress) => void } = {},
): AsyncGenerator<SourceSample> {
  const steps = (range.toMs - range.fromMs) / range.stepMs;
  let done = 0;
  for (const chunk of chunkRange(range, MAX_POINTS_PER_QUERY)) {
    const read = await source.read(chunk, options.signal ? { signal: options.signal } : {});
    yield* read.samples;
    done += (chunk.toMs - chunk.fromMs) / chunk.stepMs;
    options.onChunk?.({ doneSteps: done, steps, atMs: chunk.toMs });
  }
}
