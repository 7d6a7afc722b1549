import type { FastifyBaseLogger } from "fastify";
import { ColumnPool } from "../tsdb/column-pool.js";
import { IdIndex } from "../tsdb/id-index.js";
import { encodeIds, type SampleColumns } from "../tsdb/sample-batch.js";
import type { SeriesBuffer } from "../tsdb/series-buffer.js";
import { SliStore } from "../tsdb/sli-store.js";
import { type BatchShape, BatchShapes } from "./batch-shapes.js";
import { Evaluator } from "./evaluator.js";
import type { AlertEvent, SloStatus } from "./evaluator-types.js";
import type { Slo } from "./model.js";
import type { CounterReading, IntervalSample, SampleBounds } from "./sample-input.js";
import { type ScannedSamples, scanSamples } from "./samples-scan.js";
import type { BudgetAdjustment, LoggedBatch, SloStore } from "./slo.store.js";
import type { SourceStatus } from "./sources/source-status.js";

/** History kept for every SLO: the longest window (35 days) plus charts. */
export const RETENTION_MS = 35 * 86_400_000;

/** Samples older than the finest tier's span cannot be replaced in place: such a correction rebuilds the series. */
export const IN_PLACE_REPLACE_MS = 3_600_000;
/** The leader compacts the sample log into per-SLO chunks this often, or sooner after many samples. */
const COMPACT_EVERY_MS = 600_000;
const COMPACT_AFTER_SAMPLES = 500_000;
/** Samples read from the log per step of following it. */
const FOLLOW_LIMIT = 200_000;

export interface SloRuntimeOptions {
  readonly store: SloStore;
  readonly log: FastifyBaseLogger;
  readonly now?: () => number;
}

/** What an ingest stored: samples written to the log, and samples equal to stored ones (retries). */
export interface IngestResult {
  readonly accepted: number;
  readonly unchanged: number;
}

/** One registered SLO as ingest and follow need it, found once per sample by id or by slot. */
interface Tracked {
  readonly slo: Slo;
  readonly series: SeriesBuffer;
  readonly slot: number;
  /** A latency SLI (its samples come as histogram counts, never through the plain-form reader). */
  readonly latency: boolean;
  /** Highest log position its rebuild already read, so that following does not count it twice. */
  loadedSeq: number;
  adjustments: readonly BudgetAdjustment[];
  /** False once unregistered or registered anew (a newer entry took over). */
  live: boolean;
  /** Position in the ids of the batch being built ({@link SloRuntime.shapeOf}), valid while `mark` is its number. */
  mark: number;
  local: number;
}

/**
 * The in-memory side of the SLO domain on one replica: the SLI store rebuilt from the sample log
 * in the database, and the evaluator over it. Every replica follows the log (so any replica can
 * answer status and chart queries); only the leader calls {@link tick}, which stores and emits
 * alert transitions.
 */
export class SloRuntime {
  readonly sli = new SliStore();
  readonly evaluator = new Evaluator(this.sli);
  /** Health and back-fill progress of pulled SLI sources (Prometheus), by SLO id; set by the leader's puller. */
  readonly sourceStatus = new Map<string, SourceStatus>();
  private readonly slos = new Map<string, Slo>();
  private readonly listeners: ((events: readonly AlertEvent[]) => void)[] = [];
  private readonly tracked = new Map<string, Tracked>();
  private readonly ids = new IdIndex();
  private readonly bySlot: (Tracked | undefined)[] = [];
  /** The entries of each id of a batch this replica built, until it is applied. */
  private readonly targetsOf = new WeakMap<SampleColumns, readonly Tracked[]>();
  /** Shapes of recent pushes, for the next push of the same SLOs in the same order. */
  private readonly shapes = new BatchShapes<Tracked>();
  private batchMark = 0;
  private lastSeq = 0;
  /** Lines the database says were firing, until the first tick reconciles them. */
  private restored: Map<string, Set<string>> | undefined;
  private readonly now: () => number;
  private following: Promise<number> | null = null;
  private followAgain: Promise<number> | null = null;
  private lastCompaction = Number.NEGATIVE_INFINITY;
  private followedSinceCompaction = 0;
  private readonly recalled = new Float64Array(2);
  /** Column memory of the batches {@link ingestScanned} builds, back once each is applied. */
  private readonly columnPool = new ColumnPool();
  /** Which samples of the body being read are new (scratch of {@link ingestScanned}). */
  private freshMarks = new Uint8Array(1024);

  constructor(private readonly options: SloRuntimeOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Loads every applied spec and its samples (with budget adjustments) from the database. */
  async load(): Promise<void> {
    this.lastSeq = await this.options.store.maxSampleSeq();
    for (const stored of await this.options.store.list()) await this.register(stored.slo);
    this.restored = await this.options.store.firingLines();
    this.options.log.info({ slos: this.slos.size, seq: this.lastSeq }, "SLO runtime loaded");
  }

  get specs(): ReadonlyMap<string, Slo> {
    return this.slos;
  }

  /** Starts (or restarts, after a spec change or a budget adjustment) evaluating one SLO from its stored history. */
  async register(slo: Slo): Promise<void> {
    const known = this.slos.get(slo.id);
    const firing = known ? this.evaluator.firing(slo.id) : [];
    if (known) {
      this.evaluator.unregister(slo.id);
      this.sli.delete(slo.id);
      this.untrack(slo.id);
    }
    this.slos.set(slo.id, slo);
    this.evaluator.register(slo);
    this.shapes.clear();
    const slot = this.ids.add(slo.id);
    const entry: Tracked = {
      slo,
      series: this.sli.get(slo.id)!,
      slot,
      latency: slo.sli.kind === "latency",
      loadedSeq: 0,
      adjustments: [],
      live: true,
      mark: 0,
      local: 0,
    };
    this.tracked.set(slo.id, entry);
    this.bySlot[slot] = entry;
    entry.adjustments = await this.options.store.adjustments(slo.id);
    const history = await this.options.store.historyOf(slo.id, this.now() - RETENTION_MS);
    for (const s of history.samples) this.applySample(entry, s.ts, s.good, s.total);
    entry.loadedSeq = history.seq;
    if (firing.length > 0) {
      this.restored ??= new Map();
      this.restored.set(slo.id, new Set(firing));
    }
  }

  unregister(id: string): void {
    if (!this.slos.delete(id)) return;
    this.evaluator.unregister(id);
    this.sli.delete(id);
    this.untrack(id);
    this.sourceStatus.delete(id);
  }

  private untrack(id: string): void {
    const entry = this.tracked.get(id);
    if (!entry) return;
    entry.live = false;
    this.shapes.clear();
    this.tracked.delete(id);
    this.bySlot[entry.slot] = undefined;
    this.ids.delete(id);
  }

  /**
   * Applies samples committed to the database (by this or another replica) since the last call.
   * Calls made while one runs share the next run, which starts after it: a caller that committed
   * before calling sees its samples applied, and no batch is applied twice.
   */
  follow(): Promise<number> {
    if (!this.following) {
      this.following = this.followOnce().finally(() => {
        this.following = null;
      });
      return this.following;
    }
    if (!this.followAgain) {
      const next = () => {
        this.followAgain = null;
        return this.follow();
      };
      this.followAgain = this.following.then(next, next);
    }
    return this.followAgain;
  }

  /**
   * After this replica's own commit: applies its own batches from memory and reads the log only
   * when they do not follow on from what was applied (another writer's batch between them).
   * Other writers' later batches are left to the periodic {@link follow}.
   */
  private async followOwn(): Promise<void> {
    if (this.following) {
      await this.follow();
      return;
    }
    const own = this.options.store.ownBatchesAfter(this.lastSeq, FOLLOW_LIMIT);
    for (const b of own.batches) this.applyBatch(b);
    if (own.more) await this.follow();
  }

  private async followOnce(): Promise<number> {
    let applied = 0;
    for (;;) {
      // A read that returns less than its limit reached the end of the log.
      let read = 0;
      for (const b of await this.options.store.batchesAfter(this.lastSeq, FOLLOW_LIMIT))
        read += this.applyBatch(b);
      applied += read;
      if (read < FOLLOW_LIMIT) return applied;
    }
  }

  private applyBatch(b: LoggedBatch): number {
    const { ids, series, ts, good, total } = b.columns;
    const built = this.targetsOf.get(b.columns);
    const targets = built ?? ids.map((id) => this.tracked.get(id));
    // An SLO registered anew since the batch was built (a spec change) has a new entry.
    const into = targets.map((e, k) => {
      const current = e?.live ? e : this.tracked.get(ids[k]!);
      return current && b.seq > current.loadedSeq ? current : undefined;
    });
    // Per id: its series when its samples go in as they are (no budget adjustment to apply).
    const plain = into.map((e) => (e && e.adjustments.length === 0 ? e.series : undefined));
    for (let i = 0; i < ts.length; i++) {
      const k = series[i]!;
      const sink = plain[k];
      if (sink !== undefined) sink.append(ts[i]!, good[i]!, total[i]!);
      else {
        const e = into[k];
        if (e !== undefined) this.applySample(e, ts[i]!, good[i]!, total[i]!);
      }
    }
    if (b.seq > this.lastSeq) this.lastSeq = b.seq;
    this.followedSinceCompaction += ts.length;
    if (built !== undefined) {
      // The last read of a batch this replica built (the log holds its own copy).
      this.targetsOf.delete(b.columns);
      this.columnPool.give(b.columns);
    }
    return ts.length;
  }

  /**
   * Stores validated samples (see `convertSamples`) durably as one batch of the log, then applies
   * them; 2xx after this resolves means durable. A sample equal to the one the store remembers at
   * its (SLO, timestamp) is skipped (a retry); samples the store cannot answer for (older than its
   * finest tier) are checked against the stored history, and a correction of one of those rebuilds
   * its SLO's series from the log.
   */
  async ingest(
    samples: readonly IntervalSample[],
    readings: ReadonlyMap<string, CounterReading> = new Map(),
    now = this.now(),
  ): Promise<IngestResult> {
    const fresh: IntervalSample[] = [];
    const unknown = new Set<IntervalSample>();
    const out = this.recalled;
    for (const s of samples) {
      const known = this.tracked.get(s.sloId)?.series.recall(s.ts, out) ?? -1;
      if (known === 1 && out[0] === s.good && out[1] === s.total) continue;
      if (known === -1 || s.ts < now - IN_PLACE_REPLACE_MS) unknown.add(s);
      fresh.push(s);
    }
    const result =
      fresh.length > 0 || readings.size > 0
        ? await this.options.store.writeSamples(fresh, now, readings, (s) => unknown.has(s as IntervalSample))
        : { written: [], replaced: [] };
    if (result.written.length > 0) await this.followOwn();
    const rebuild = new Set(result.replaced.map((r) => r.sloId));
    for (const id of rebuild) await this.rebuild(id);
    return { accepted: result.written.length, unchanged: samples.length - result.written.length };
  }

  /**
   * The fast path of `POST /api/v1/sli/samples`: a body in the plain form (see `scanSamples`)
   * whose samples are all within `bounds`, for ratio SLIs, and new or retries the store can answer
   * for, is stored and applied without an object per sample. Undefined (nothing stored) means the
   * body wants the full path: `convertSamples`, then {@link ingest}.
   */
  ingestBody(body: Uint8Array, bounds: SampleBounds): Promise<IngestResult> | undefined {
    const scanned = scanSamples(body, this.ids);
    return scanned && this.ingestScanned(scanned, bounds);
  }

  private ingestScanned(s: ScannedSamples, bounds: SampleBounds): Promise<IngestResult> | undefined {
    const { now } = bounds;
    const oldest = Math.max(now - bounds.retentionMs, now - IN_PLACE_REPLACE_MS);
    const newest = now + bounds.futureToleranceMs;
    const entries: Tracked[] = new Array(s.length);
    if (this.freshMarks.length < s.length) this.freshMarks = new Uint8Array(2 * s.length);
    const fresh = this.freshMarks.fill(0, 0, s.length);
    const out = this.recalled;
    let count = 0;
    for (let i = 0; i < s.length; i++) {
      const e = this.bySlot[s.slots[i]!];
      const ts = s.ts[i]!;
      if (e === undefined || e.latency || ts < oldest || ts > newest) return undefined;
      const known = e.series.recall(ts, out);
      if (known === -1) return undefined;
      entries[i] = e;
      if (known === 1 && out[0] === s.good[i] && out[1] === s.total[i]) continue;
      fresh[i] = 1;
      count++;
    }
    if (count === 0) return Promise.resolve({ accepted: 0, unchanged: s.length });
    const all = count === s.length;
    let shape = all ? this.shapes.get(s.slots) : undefined;
    if (shape === undefined) {
      shape = this.shapeOf(entries, fresh, count);
      if (all) this.shapes.set(s.slots, shape);
    }
    const columns: SampleColumns = {
      ids: shape.ids,
      encodedIds: shape.encodedIds,
      series: shape.series,
      ...this.columnPool.take(count),
    };
    for (let i = 0, j = 0; i < s.length; i++) {
      if (fresh[i] === 0) continue;
      columns.ts[j] = s.ts[i]!;
      columns.good[j] = s.good[i]!;
      columns.total[j] = s.total[i]!;
      j++;
    }
    this.targetsOf.set(columns, shape.targets);
    return this.options.store.appendColumns(columns, now).then(async () => {
      await this.followOwn();
      return { accepted: count, unchanged: s.length - count };
    });
  }

  /** The ids of the fresh samples in order of first appearance, and each one's index among them. */
  private shapeOf(entries: readonly Tracked[], fresh: Uint8Array, count: number): BatchShape<Tracked> {
    const mark = ++this.batchMark;
    const ids: string[] = [];
    const targets: Tracked[] = [];
    const series = new Uint32Array(count);
    for (let i = 0, j = 0; i < entries.length; i++) {
      if (fresh[i] === 0) continue;
      const e = entries[i]!;
      if (e.mark !== mark) {
        e.mark = mark;
        e.local = ids.length;
        ids.push(e.slo.id);
        targets.push(e);
      }
      series[j++] = e.local;
    }
    return { ids, series, targets, encodedIds: encodeIds(ids) };
  }

  /**
   * Compacts the sample log into per-SLO chunks (leader only, called by {@link tick}) every
   * 10 minutes, or sooner once many samples arrived.
   */
  async compact(force = false): Promise<number> {
    const now = this.now();
    if (
      !force &&
      now - this.lastCompaction < COMPACT_EVERY_MS &&
      this.followedSinceCompaction < COMPACT_AFTER_SAMPLES
    )
      return 0;
    this.lastCompaction = now;
    this.followedSinceCompaction = 0;
    let compacted = 0;
    for (let run = 0; run < 8; run++) {
      const n = await this.options.store.compactSampleLog(now);
      compacted += n;
      if (n === 0) break;
    }
    return compacted;
  }

  /** Rebuilds one SLO's series from the log, after a correction older than the store can replace in place. */
  async rebuild(id: string): Promise<void> {
    const slo = this.slos.get(id);
    if (slo) await this.register(slo);
  }

  status(id: string, at = this.now()): SloStatus | undefined {
    return this.slos.has(id) ? this.evaluator.status(id, at) : undefined;
  }

  onAlerts(listener: (events: readonly AlertEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** One evaluation of every SLO (leader only): stores transitions and hands them to listeners. */
  async tick(at = this.now()): Promise<AlertEvent[]> {
    await this.follow();
    const events = this.reconcile(this.evaluator.tick(at), at);
    if (events.length > 0) {
      await this.options.store.writeAlertEvents(events);
      for (const listener of this.listeners) listener(events);
    }
    try {
      await this.compact();
    } catch (error) {
      this.options.log.error({ err: error }, "compacting the SLI sample log failed");
    }
    return events;
  }

  /**
   * After a restart the evaluator starts with nothing firing. Drop "firing" events for lines the
   * database already has firing, and resolve lines that were firing but no longer are, so that a
   * restart neither pages twice nor leaves an alert open forever.
   */
  private reconcile(events: AlertEvent[], at: number): AlertEvent[] {
    const restored = this.restored;
    if (!restored) return events;
    this.restored = undefined;
    const kept = events.filter((e) => !(e.state === "firing" && restored.get(e.sloId)?.has(e.line)));
    for (const [sloId, lines] of restored) {
      if (!this.slos.has(sloId)) continue;
      const now = new Set(this.evaluator.firing(sloId));
      const status = this.evaluator.status(sloId, at);
      for (const line of lines) {
        if (now.has(line)) continue;
        const lineStatus = status.lines.find((l) => l.name === line);
        kept.push({
          sloId,
          service: status.service,
          line,
          severity: lineStatus?.severity ?? "ticket",
          state: "resolved",
          at,
          burnRates: { long: lineStatus?.longBurnRate ?? 0, short: lineStatus?.shortBurnRate ?? 0 },
          budgetRemaining: status.budget.remainingShare,
          reason: "no longer burning after a restart",
        });
      }
    }
    return kept;
  }

  private applySample(entry: Tracked, ts: number, good: number, total: number) {
    // A budget adjustment excludes its range: its events count as good (SRE Workbook, "Implementing SLOs": planned maintenance or a dependency's outage that is not ours).
    const excluded = entry.adjustments.some((a) => ts > a.fromMs && ts <= a.toMs);
    entry.series.append(ts, excluded ? total : good, total);
  }
}
