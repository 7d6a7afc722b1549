import type { SampleKind, SeriesBuffer } from "../tsdb/series-buffer.js";
import type { SliStore } from "../tsdb/sli-store.js";
import { type CalendarPeriod, calendarPeriod } from "./calendar.js";
import { budgetStatus, evaluate, transitions } from "./evaluator-core.js";
import { SloNotRegisteredError } from "./evaluator-errors.js";
import {
  compilePlan,
  type EvaluationPlan,
  HELD_SHIFT,
  lineMask,
  MISSING_DATA_BIT,
  sumsLength,
} from "./evaluator-plan.js";
import { SliceTracker } from "./evaluator-slices.js";
import { type AlertEvent, MISSING_DATA_LINE, type SloStatus } from "./evaluator-types.js";
import type { Slo } from "./model.js";

/** SLOs whose short windows are read together before their lines are decided. */
const BLOCK = 16;
const LINE_BITS = (1 << HELD_SHIFT) - 1;

interface Entry {
  readonly plan: EvaluationPlan;
  readonly series: SeriesBuffer;
  readonly slices: SliceTracker | null;
  period: CalendarPeriod | null;
  mask: number;
}

/**
 * Holds the alert state of many SLOs and evaluates all of them in one tick (the leader calls
 * `tick` every 30 s). Each SLO reads its own series (id = SLO id) of the shared store; a tick does
 * O(1) work per alert window and allocates only for transitions.
 */
export class Evaluator {
  private readonly store: SliStore;
  private readonly entries: Entry[] = [];
  private readonly index = new Map<string, number>();
  private scratch = new Float64Array(32);
  private block = new Float64Array(0);
  private views: Float64Array[] = [];

  constructor(store: SliStore) {
    this.store = store;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Starts evaluating an SLO (creating its series), or replaces its definition; lines that keep
   * their name keep their firing state, and an unchanged timeslices setup keeps its slice counts.
   */
  register(slo: Slo, kind: SampleKind = "interval"): void {
    const plan = compilePlan(slo);
    const series = this.store.ensure(slo.id, kind);
    const b = slo.budgeting;
    const at = this.index.get(slo.id);
    const rolling = slo.window.kind === "rolling" ? slo.window.lengthMs : null;
    const old = at === undefined ? null : this.entries[at]!.slices;
    // An unchanged timeslices setup keeps the slices judged so far.
    const slices =
      b.method !== "timeslices"
        ? null
        : old &&
            old.sliceMs === b.sliceMs &&
            old.sliceTarget === b.sliceTarget &&
            old.rollingLengthMs === rolling
          ? old
          : new SliceTracker(b.sliceMs, b.sliceTarget, rolling);
    let mask = 0;
    if (at !== undefined) {
      const firing = new Set(this.firing(slo.id));
      plan.lines.forEach((line, i) => {
        if (firing.has(line.name)) mask |= 1 << i;
      });
      if (firing.has(MISSING_DATA_LINE)) mask |= MISSING_DATA_BIT;
    }
    const entry: Entry = { plan, series, slices, period: null, mask };
    if (at === undefined) {
      this.index.set(slo.id, this.entries.length);
      this.entries.push(entry);
    } else this.entries[at] = entry;
    if (sumsLength(plan) > this.scratch.length) this.scratch = new Float64Array(sumsLength(plan));
  }

  /** Stops evaluating an SLO (its series stays in the store). */
  unregister(id: string): boolean {
    const at = this.index.get(id);
    if (at === undefined) return false;
    const last = this.entries.pop()!;
    this.index.delete(id);
    if (at < this.entries.length) {
      this.entries[at] = last;
      this.index.set(last.plan.slo.id, at);
    }
    return true;
  }

  /**
   * Evaluates every SLO at `nowMs` and returns the alert transitions (in a stable per-SLO order).
   * SLOs go in blocks: first every short window of the block is read (each tick reads them all),
   * a short loop whose independent memory reads overlap, then each SLO's lines are decided.
   */
  tick(nowMs: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    const entries = this.entries;
    const stride = this.scratch.length;
    if (this.block.length < BLOCK * stride) {
      this.block = new Float64Array(BLOCK * stride);
      this.views = Array.from({ length: BLOCK }, (_, k) => this.block.subarray(k * stride, (k + 1) * stride));
    }
    const block = this.block;
    const views = this.views;
    for (let start = 0; start < entries.length; start += BLOCK) {
      const end = Math.min(entries.length, start + BLOCK);
      for (let k = start; k < end; k++) {
        const e = entries[k]!;
        const plan = e.plan;
        const series = e.series;
        const windows = plan.windowsMs;
        const short = plan.shortWindows;
        const base = (k - start) * stride;
        series.sumWindowsInto(nowMs, windows, short, block, base);
        let read = 0;
        for (let i = 0; i < short.length; i++) read |= 1 << short[i]!;
        block[base + 2 * windows.length] = read;
      }
      for (let k = start; k < end; k++) {
        const e = entries[k]!;
        const plan = e.plan;
        const series = e.series;
        const sums = views[k - start]!;
        if (e.slices) e.slices.update(series, nowMs, this.periodOf(e, nowMs)?.startMs ?? Number.NaN);
        const mask = lineMask(plan, series, sums, nowMs, series.headTs, series.lastTrafficTs);
        if ((mask ^ e.mask) & LINE_BITS) {
          const remaining = this.budgetRemaining(e, nowMs);
          for (const ev of transitions(plan, series, e.mask, mask, sums, nowMs, series.headTs, remaining))
            events.push(ev);
        }
        e.mask = mask;
      }
    }
    return events;
  }

  /** Full status of one SLO at `nowMs`; its `events` are the transitions the next tick would emit. */
  status(id: string, nowMs: number): SloStatus {
    const e = this.require(id);
    const series = e.series;
    return evaluate(
      e.plan.slo,
      {
        sum: (from, to) => series.sum(from, to),
        headTs: series.headTs,
        lastTrafficTs: series.lastTrafficTs,
        badSlices: e.slices?.bad ?? 0,
      },
      nowMs,
      new Set(this.firing(id)),
      e.plan,
    );
  }

  /** Names of the lines (and "missing-data") firing after the last tick. */
  firing(id: string): string[] {
    const e = this.require(id);
    const names = e.plan.lines.filter((_, i) => e.mask & (1 << i)).map((l) => l.name);
    if (e.mask & MISSING_DATA_BIT) names.push(MISSING_DATA_LINE);
    return names;
  }

  private budgetRemaining(e: Entry, nowMs: number): number {
    const slo = e.plan.slo;
    const period = this.periodOf(e, nowMs);
    const from = period ? period.startMs : nowMs - (slo.window.kind === "rolling" ? slo.window.lengthMs : 0);
    const length = period
      ? period.endMs - period.startMs
      : slo.window.kind === "rolling"
        ? slo.window.lengthMs
        : 0;
    const s = e.series.sum(from, nowMs);
    return budgetStatus(slo, s.good, s.total, length, e.slices?.bad ?? 0).remainingShare;
  }

  private periodOf(e: Entry, nowMs: number): CalendarPeriod | null {
    const window = e.plan.slo.window;
    if (window.kind !== "calendar") return null;
    if (!e.period || nowMs >= e.period.endMs || nowMs < e.period.startMs)
      e.period = calendarPeriod(window, nowMs);
    return e.period;
  }

  private require(id: string): Entry {
    const at = this.index.get(id);
    if (at === undefined) throw new SloNotRegisteredError(`no SLO ${id} is registered`, { id });
    return this.entries[at]!;
  }
}
