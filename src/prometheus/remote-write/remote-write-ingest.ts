import { InternalError } from "../../errors/index.js";
import type { Slo } from "../../slo/model.js";
import { type RemoteWriteTarget, remoteWriteTarget, type TargetResult } from "./remote-write-targets.js";
import { matchesSelector } from "./series-selector.js";
import type { RemoteWriteSeries, WriteRequest } from "./write-request.js";

/** An interval sample for the SLO sample log, as `POST /api/v1/sli/samples` stores them. */
export interface IngestSample {
  readonly sloId: string;
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

/** What became of the samples of one remote-write request. */
export interface IngestCounts {
  /** Samples of series an SLO selects, applied. */
  stored: number;
  /** Samples of series no SLO selects, dropped. */
  unmatched: number;
  /** Samples not newer than the series' previous one (a resend), dropped. */
  out_of_order: number;
  /** Samples older than the retention or more than 5 minutes in the future, dropped. */
  out_of_range: number;
  /** NaN values (Prometheus' staleness markers), skipped. */
  stale: number;
}

export type IngestResult = keyof IngestCounts;

export interface IngestPlan {
  /** Interval samples to store; {@link commit} only after they are durable. */
  readonly samples: readonly IngestSample[];
  readonly counts: IngestCounts;
  /** Makes the plan's counter readings and pending groups the new state. */
  commit(): void;
}

/** Requests planned one after the other on uncommitted state, committed together. */
export interface IngestBatch {
  /** Plans one more request on top of the ones added before it; returns its samples and counts. */
  add(request: WriteRequest): { readonly samples: readonly IngestSample[]; readonly counts: IngestCounts };
  /** The samples of every request added so far, in order. */
  readonly samples: readonly IngestSample[];
  /** Makes the batch's counter readings and pending groups the new state (once they are durable). */
  commit(): void;
}

export interface IngestOptions {
  /** How old a sample may be (the sample log's retention). */
  readonly retentionMs: number;
  /** How long a scrape's counts wait for the other side (events or total) before being stored alone (60 s). */
  readonly holdMs?: number;
  /** Counter readings of series not seen for this long are forgotten (1 h). */
  readonly forgetAfterMs?: number;
}

interface Route {
  readonly sloId: string;
  readonly side: 0 | 1;
  readonly gauge: boolean;
  readonly target: RemoteWriteTarget;
}

interface SeriesInfo {
  /** The ingest that derived it (the decoder's entries are shared by every ingest in the process). */
  readonly owner: RemoteWriteIngest;
  readonly key: string;
  readonly routes: readonly Route[];
  /** The targets' generation the routes were found in. */
  readonly generation: number;
  /** The series' counter reading (only for series some SLO selects). */
  readonly reading: Reading | undefined;
}

/**
 * A series' last counter sample: the committed one, and the one the open batch has planned on top
 * of it (valid while `batch` is that batch's number). Kept on the series, so that a request reads
 * and plans its readings without a map lookup per series.
 */
interface Reading {
  ts: number;
  value: number;
  batch: number;
  batchTs: number;
  batchValue: number;
  /** Dropped after `forgetAfterMs` without samples: the series' next sample is a baseline again. */
  forgotten: boolean;
}

/** Events and total increments of one SLO at one scrape timestamp. */
interface Group {
  events: number;
  total: number;
}

interface SloState {
  /** Newest sample timestamp seen on the events side and on the total side (−∞: never). */
  readonly sideTs: [number, number];
  readonly pending: Map<number, Group>;
  lastEmittedTs: number;
  /** Events beyond the total of the group they arrived in, carried to the next group. */
  carry: number;
}

const FUTURE_TOLERANCE_MS = 300_000;
const MAX_CACHED_SERIES = 500_000;

/**
 * Turns remote-write series into SLO interval samples. Pure and in memory: the caller stores
 * {@link IngestPlan.samples} durably and then calls `commit()`; a failed store leaves the state
 * untouched, so the sender's retry of the same request counts once.
 *
 * - Series are matched to SLOs by {@link remoteWriteTarget} (cached per label set).
 * - A counter's first sample is its baseline; afterwards each sample adds its increase, and a
 *   decrease is a counter reset: the new value counts from zero (as PromQL's `increase`).
 * - The events and total increments of one SLO are summed per sample timestamp (one scrape).
 *   A scrape's group is stored once both sides have reached its timestamp, so a batch that
 *   splits a scrape never stores total without its good events (a false error); it waits at
 *   most `holdMs`. Events above the group's total carry to the next group.
 */
export class RemoteWriteIngest {
  private readonly holdMs: number;
  private readonly forgetAfterMs: number;
  private readonly known = new Map<string, Slo>();
  private results: TargetResult[] = [];
  private readonly byId = new Map<string, RemoteWriteTarget>();
  private byName = new Map<string, Route[]>();
  private anyName: Route[] = [];
  private readonly routeCache = new Map<string, readonly Route[]>();
  private readonly seriesInfo = new WeakMap<object, SeriesInfo>();
  private generation = 0;
  private readonly readings = new Map<string, Reading>();
  /** Number of the newest batch begun: only it can be committed. */
  private batches = 0;
  private readonly slos = new Map<string, SloState>();
  private lastForget = 0;

  constructor(private readonly options: IngestOptions) {
    this.holdMs = options.holdMs ?? 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 3_600_000;
  }

  /** Every SLO with what it takes from remote write, or why it takes nothing. */
  targets(specs: ReadonlyMap<string, Slo>): readonly TargetResult[] {
    this.refresh(specs);
    return this.results;
  }

  plan(request: WriteRequest, specs: ReadonlyMap<string, Slo>, now: number): IngestPlan {
    const batch = this.begin(specs, now);
    const { samples, counts } = batch.add(request);
    return { samples, counts, commit: () => batch.commit() };
  }

  /**
   * Starts a batch: requests added to it are planned one after the other, each on top of the
   * state the ones before it leave (as if each had been committed), so consecutive requests can
   * share one durable write. {@link IngestBatch.commit} makes the last state the new one, once
   * all the batch's samples are durable; a batch never committed leaves the state untouched.
   */
  begin(specs: ReadonlyMap<string, Slo>, now: number): IngestBatch {
    this.refresh(specs);
    const batchNumber = ++this.batches;
    /** Readings this batch has planned, to commit. */
    const touched: Reading[] = [];
    const states = new Map<string, SloState>();
    const all: IngestSample[] = [];
    let committed = false;
    const stateOf = (id: string): SloState => {
      let s = states.get(id);
      if (!s) {
        const old = this.slos.get(id);
        s = old
          ? {
              sideTs: [old.sideTs[0], old.sideTs[1]],
              pending: new Map([...old.pending].map(([ts, g]) => [ts, { ...g }])),
              lastEmittedTs: old.lastEmittedTs,
              carry: old.carry,
            }
          : { sideTs: [-Infinity, -Infinity], pending: new Map(), lastEmittedTs: -Infinity, carry: 0 };
        states.set(id, s);
      }
      return s;
    };
    const oldest = now - this.options.retentionMs;
    const newest = now + FUTURE_TOLERANCE_MS;
    let acceptedTs = new Float64Array(16);
    let values = new Float64Array(16);
    let increases = new Float64Array(16);

    const add = (request: WriteRequest): { samples: IngestSample[]; counts: IngestCounts } => {
      const counts: IngestCounts = { stored: 0, unmatched: 0, out_of_order: 0, out_of_range: 0, stale: 0 };
      for (const series of request.timeseries) {
        const n = series.samples.length;
        if (n === 0) continue;
        const { routes, reading } = this.seriesOf(series);
        if (reading === undefined) {
          counts.unmatched += n;
          continue;
        }
        const planned = reading.batch === batchNumber;
        // Accepted samples and their increases (NaN: a counter's first sample, its baseline).
        let prevTs = planned ? reading.batchTs : reading.ts;
        let prevValue = planned ? reading.batchValue : reading.value;
        let accepted = 0;
        if (acceptedTs.length < n) {
          acceptedTs = new Float64Array(n * 2);
          values = new Float64Array(n * 2);
          increases = new Float64Array(n * 2);
        }
        for (let i = 0; i < n; i++) {
          const sample = series.samples[i]!;
          const value = sample.value;
          const ts = sample.timestampMs;
          if (Number.isNaN(value)) {
            counts.stale++;
            continue;
          }
          if (ts < oldest || ts > newest || !Number.isFinite(value) || value < 0) {
            counts.out_of_range++;
            continue;
          }
          if (ts <= prevTs) {
            counts.out_of_order++;
            continue;
          }
          acceptedTs[accepted] = ts;
          values[accepted] = value;
          increases[accepted] = value < prevValue ? value : value - prevValue;
          accepted++;
          prevTs = ts;
          prevValue = value;
        }
        if (accepted === 0) continue;
        counts.stored += accepted;
        if (!planned) {
          reading.batch = batchNumber;
          touched.push(reading);
        }
        reading.batchTs = prevTs;
        reading.batchValue = prevValue;
        for (const route of routes) {
          const state = stateOf(route.sloId);
          const side = route.side;
          const lastTs = acceptedTs[accepted - 1]!;
          if (lastTs > state.sideTs[side]) state.sideTs[side] = lastTs;
          const pending = state.pending;
          for (let i = 0; i < accepted; i++) {
            const increase = route.gauge ? values[i]! : increases[i]!;
            if (Number.isNaN(increase)) continue;
            const ts = acceptedTs[i]!;
            let group = pending.get(ts);
            if (!group) {
              group = { events: 0, total: 0 };
              pending.set(ts, group);
            }
            if (side === 0) group.events += increase;
            else group.total += increase;
          }
        }
      }

      // Groups held back by earlier requests may now be complete or too old to wait for.
      for (const [id, old] of this.slos) if (old.pending.size > 0 && !states.has(id)) stateOf(id);
      const samples: IngestSample[] = [];
      for (const [id, state] of states) {
        if (state.pending.size === 0) continue;
        const target = this.byId.get(id);
        if (!target) {
          state.pending.clear();
          continue;
        }
        const [eventsTs, totalTs] = state.sideTs;
        // A side never seen (e.g. no 5xx series exists yet) does not hold the other back.
        const watermark = eventsTs === -Infinity ? totalTs : Math.min(eventsTs, totalTs);
        const ready: number[] = [];
        for (const ts of state.pending.keys()) if (ts <= watermark || ts < now - this.holdMs) ready.push(ts);
        if (ready.length > 1) ready.sort((a, b) => a - b);
        for (const ts of ready) {
          const group = state.pending.get(ts)!;
          state.pending.delete(ts);
          const available = group.events + state.carry;
          const events = Math.min(available, group.total);
          state.carry = available - events;
          if (group.total === 0) continue;
          const at = ts > state.lastEmittedTs ? ts : state.lastEmittedTs + 1;
          state.lastEmittedTs = at;
          samples.push({
            sloId: id,
            ts: at,
            good: target.events === "good" ? events : group.total - events,
            total: group.total,
          });
        }
      }
      for (const s of samples) all.push(s);
      return { samples, counts };
    };

    return {
      add,
      samples: all,
      commit: () => {
        if (committed) return;
        if (batchNumber !== this.batches)
          throw new InternalError("a remote-write batch can only be committed before the next one begins");
        committed = true;
        for (const r of touched) {
          r.ts = r.batchTs;
          r.value = r.batchValue;
        }
        for (const [id, s] of states) this.slos.set(id, s);
        this.forget(now);
      },
    };
  }

  private forget(now: number): void {
    if (now - this.lastForget < 60_000) return;
    this.lastForget = now;
    for (const [key, r] of this.readings)
      if (r.ts < now - this.forgetAfterMs) {
        this.readings.delete(key);
        r.forgotten = true;
      }
    for (const [id, s] of this.slos) {
      if (!this.byId.has(id) || (s.pending.size === 0 && Math.max(...s.sideTs) < now - this.forgetAfterMs))
        this.slos.delete(id);
    }
    if (this.routeCache.size > MAX_CACHED_SERIES) this.routeCache.clear();
  }

  /**
   * The key, routes and reading of a series' label set, remembered with the decoder's interned
   * entry (or, for label sets built elsewhere, per label-set object).
   */
  private seriesOf(series: RemoteWriteSeries): SeriesInfo {
    const { labels, interned } = series;
    const known = (interned ? interned.derived : this.seriesInfo.get(labels)) as SeriesInfo | undefined;
    if (
      known !== undefined &&
      known.owner === this &&
      known.generation === this.generation &&
      !known.reading?.forgotten
    )
      return known;
    const key = known?.key ?? seriesKey(labels);
    const routes = this.routesOf(key, labels);
    const info: SeriesInfo = {
      owner: this,
      key,
      routes,
      generation: this.generation,
      reading: routes.length > 0 ? this.readingOf(key) : undefined,
    };
    if (interned) interned.derived = info;
    else this.seriesInfo.set(labels, info);
    return info;
  }

  private readingOf(key: string): Reading {
    let reading = this.readings.get(key);
    if (reading === undefined) {
      reading = { ts: -Infinity, value: Number.NaN, batch: 0, batchTs: 0, batchValue: 0, forgotten: false };
      this.readings.set(key, reading);
    }
    return reading;
  }

  private routesOf(key: string, labels: Readonly<Record<string, string>>): readonly Route[] {
    const cached = this.routeCache.get(key);
    if (cached) return cached;
    const found: Route[] = [];
    for (const route of this.byName.get(labels["__name__"] ?? "") ?? [])
      if (matchesSelector(sideSelector(route.target, route.side), labels)) found.push(route);
    for (const route of this.anyName)
      if (matchesSelector(sideSelector(route.target, route.side), labels)) found.push(route);
    if (this.routeCache.size < MAX_CACHED_SERIES) this.routeCache.set(key, found);
    return found;
  }

  /** Re-derives targets when an SLO was applied, changed or deleted. */
  private refresh(specs: ReadonlyMap<string, Slo>): void {
    let changed = specs.size !== this.known.size;
    if (!changed) {
      for (const [id, slo] of specs) {
        if (this.known.get(id) !== slo) {
          changed = true;
          break;
        }
      }
    }
    if (!changed) return;
    this.known.clear();
    for (const [id, slo] of specs) this.known.set(id, slo);
    this.results = [...specs.values()].map(remoteWriteTarget);
    this.byName = new Map();
    this.anyName = [];
    this.byId.clear();
    for (const result of this.results) {
      if (!result.ok) continue;
      const t = result.target;
      this.byId.set(t.sloId, t);
      for (const side of [0, 1] as const) {
        const s = side === 0 ? t.eventsSide : t.totalSide;
        const route: Route = { sloId: t.sloId, side, gauge: s.kind === "gauge", target: t };
        const name = s.selector.matchers.find((m) => m.name === "__name__" && m.op === "=")?.value;
        if (name === undefined) this.anyName.push(route);
        else this.byName.set(name, [...(this.byName.get(name) ?? []), route]);
      }
    }
    this.routeCache.clear();
    this.generation++;
  }
}

function sideSelector(target: RemoteWriteTarget, side: 0 | 1) {
  return side === 0 ? target.eventsSide.selector : target.totalSide.selector;
}

/** A label set as one string (remote write sends labels sorted by name). */
function seriesKey(labels: Readonly<Record<string, string>>): string {
  let key = "";
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}
