import type { SampleKind, SeriesBuffer } from "../tsdb/series-buffer.js";
import { SliStore } from "../tsdb/sli-store.js";
import type { TierSpec } from "../tsdb/tier.js";
import { fastBacktest } from "./backtest-fast.js";
import { Evaluator } from "./evaluator.js";
import type { AlertEvent, SloStatus } from "./evaluator-types.js";
import type { Slo } from "./model.js";
import type { CsvSample } from "./sli-csv.js";

export interface BacktestOptions {
  /** Evaluation tick, as in live evaluation. Default 30 s. */
  readonly tickMs?: number;
  /** Samples are counter readings rather than per-interval counts. */
  readonly kind?: SampleKind;
  readonly tiers?: readonly TierSpec[];
  /** Called every `progressEvery` samples (default 100,000) and once at the end. */
  readonly onProgress?: (progress: BacktestProgress) => void;
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
}

export interface BacktestProgress {
  readonly samples: number;
  readonly atMs: number;
}

export interface BacktestSummary {
  readonly samples: number;
  readonly ticks: number;
  readonly fromMs: number | null;
  readonly toMs: number | null;
  /** Firing transitions of page lines and of ticket lines (missing data included). */
  readonly pages: number;
  readonly tickets: number;
  readonly firstBadSampleMs: number | null;
  readonly firstFiringMs: number | null;
  /** From the first sample with bad events to the first firing transition. */
  readonly detectionDelayMs: number | null;
  /** Share of the SLO window's error budget spent at the last tick (1 − remaining share). */
  readonly budgetConsumed: number;
  /** Milliseconds each line spent firing; lines still firing count up to the last tick. */
  readonly firingMs: Readonly<Record<string, number>>;
}

export interface BacktestResult {
  readonly events: readonly AlertEvent[];
  readonly summary: BacktestSummary;
  /** Status at the last tick, or null when there were no samples. */
  readonly final: SloStatus | null;
}

/**
 * Replays one SLO's samples (in timestamp order) through the live {@link Evaluator} on the same
 * tick grid: before a sample at `ts` is written, every tick strictly before `ts` runs, so a tick at
 * `T` sees exactly the samples with `ts <= T`, as live evaluation does when ingest precedes the tick.
 */
export class BacktestRun {
  private readonly slo: Slo;
  private readonly store: SliStore;
  private readonly evaluator: Evaluator;
  private readonly series: SeriesBuffer;
  private readonly tickMs: number;
  private readonly kind: SampleKind;
  private readonly options: BacktestOptions;
  private readonly events: AlertEvent[] = [];
  private nextTick = Number.NaN;
  private lastTick = Number.NaN;
  private lastTs = Number.NaN;
  private firstTs = Number.NaN;
  private samples = 0;
  private ticks = 0;
  private firstBad = Number.NaN;
  private prevBad = Number.NaN;
  private nextProgress: number;

  constructor(slo: Slo, options: BacktestOptions = {}) {
    this.slo = slo;
    this.options = options;
    this.tickMs = options.tickMs ?? 30_000;
    this.kind = options.kind ?? "interval";
    this.store = new SliStore({ lanes: 1, ...(options.tiers ? { tiers: options.tiers } : {}) });
    this.evaluator = new Evaluator(this.store);
    this.evaluator.register(slo, this.kind);
    this.series = this.store.get(slo.id)!;
    this.nextProgress = options.onProgress ? (options.progressEvery ?? 100_000) : Number.NaN;
  }

  /** Writes one sample after running the ticks that precede it. */
  feed(ts: number, good: number, total: number): void {
    if (Number.isNaN(this.nextTick)) {
      this.nextTick = Math.ceil(ts / this.tickMs) * this.tickMs;
      this.firstTs = ts;
    }
    while (this.nextTick < ts) this.tick();
    if (this.kind === "interval") this.series.appendInterval(ts, good, total);
    else this.series.appendCounter(ts, good, total);
    this.lastTs = ts;
    this.samples++;
    if (Number.isNaN(this.firstBad)) this.watchBad(ts, good, total);
    if (this.samples === this.nextProgress) {
      this.nextProgress += this.options.progressEvery ?? 100_000;
      this.options.onProgress?.({ samples: this.samples, atMs: ts });
    }
  }

  private watchBad(ts: number, good: number, total: number): void {
    const bad = total - good;
    if (this.kind === "interval" ? bad > 0 : !Number.isNaN(this.prevBad) && bad !== this.prevBad)
      this.firstBad = ts;
    this.prevBad = bad;
  }

  /** Runs the remaining ticks up to the one that sees the last sample, and summarizes. */
  finish(): BacktestResult {
    if (Number.isNaN(this.lastTs)) {
      return {
        events: [],
        summary: summarize([], this.slo, 0, 0, null, null, Number.NaN, null),
        final: null,
      };
    }
    const end = Math.ceil(this.lastTs / this.tickMs) * this.tickMs;
    while (this.nextTick <= end) this.tick();
    const final = this.evaluator.status(this.slo.id, this.lastTick);
    this.options.onProgress?.({ samples: this.samples, atMs: this.lastTs });
    return {
      events: this.events,
      summary: summarize(
        this.events,
        this.slo,
        this.samples,
        this.ticks,
        this.firstTs,
        this.lastTick,
        this.firstBad,
        final,
      ),
      final,
    };
  }

  private tick(): void {
    if ((this.ticks & 1023) === 0) this.options.signal?.throwIfAborted();
    const events = this.evaluator.tick(this.nextTick);
    for (let i = 0; i < events.length; i++) this.events.push(events[i]!);
    this.lastTick = this.nextTick;
    this.nextTick += this.tickMs;
    this.ticks++;
  }
}

/** Backtests an SLO over a stream of samples (e.g. `parseSliCsv(csvFileLines(path))`). */
export async function backtest(
  slo: Slo,
  samples: AsyncIterable<CsvSample> | Iterable<CsvSample>,
  options: BacktestOptions = {},
): Promise<BacktestResult> {
  const run = new BacktestRun(slo, options);
  for await (const s of samples) run.feed(s.ts, s.good, s.total);
  return run.finish();
}

/**
 * Backtests an SLO over samples held in arrays (same length, timestamps ascending). In-order
 * per-interval samples take a path without the store that gives the same result (see
 * backtest-fast.ts); anything else goes through {@link backtestArraysThroughStore}.
 */
export function backtestArrays(
  slo: Slo,
  ts: ArrayLike<number>,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
  options: BacktestOptions = {},
): BacktestResult {
  const tickMs = options.tickMs ?? 30_000;
  const run =
    (options.kind ?? "interval") === "interval"
      ? fastBacktest(slo, ts, good, total, { ...options, tickMs })
      : null;
  if (run) {
    return {
      events: run.events,
      summary: summarize(
        run.events,
        slo,
        ts.length,
        run.ticks,
        ts[0]!,
        run.lastTick,
        run.firstBad,
        run.final,
      ),
      final: run.final,
    };
  }
  return backtestArraysThroughStore(slo, ts, good, total, options);
}

/** {@link backtestArrays} through the store and the live evaluator, sample by sample. */
export function backtestArraysThroughStore(
  slo: Slo,
  ts: ArrayLike<number>,
  good: ArrayLike<number>,
  total: ArrayLike<number>,
  options: BacktestOptions = {},
): BacktestResult {
  const run = new BacktestRun(slo, options);
  for (let i = 0; i < ts.length; i++) run.feed(ts[i]!, good[i]!, total[i]!);
  return run.finish();
}

function summarize(
  events: readonly AlertEvent[],
  slo: Slo,
  samples: number,
  ticks: number,
  fromMs: number | null,
  toMs: number | null,
  firstBad: number,
  final: SloStatus | null,
): BacktestSummary {
  const firingMs: Record<string, number> = {};
  const since = new Map<string, number>();
  let pages = 0;
  let tickets = 0;
  let firstFiring: number | null = null;
  for (const e of events) {
    if (e.state === "firing") {
      if (e.severity === "page") pages++;
      else tickets++;
      firstFiring ??= e.at;
      since.set(e.line, e.at);
    } else {
      const start = since.get(e.line);
      if (start !== undefined) firingMs[e.line] = (firingMs[e.line] ?? 0) + e.at - start;
      since.delete(e.line);
    }
  }
  for (const [line, start] of since) firingMs[line] = (firingMs[line] ?? 0) + (toMs ?? start) - start;
  for (const line of slo.alerting.lines) firingMs[line.name] ??= 0;
  const firstBadSampleMs = Number.isNaN(firstBad) ? null : firstBad;
  return {
    samples,
    ticks,
    fromMs,
    toMs,
    pages,
    tickets,
    firstBadSampleMs,
    firstFiringMs: firstFiring,
    detectionDelayMs:
      firstFiring !== null && firstBadSampleMs !== null ? firstFiring - firstBadSampleMs : null,
    budgetConsumed: final ? 1 - final.budget.remainingShare : 0,
    firingMs,
  };
}
