import type { FastifyBaseLogger } from "fastify";
import { isNinesError } from "../../errors/index.js";
import type { ResilienceEvents } from "../../resilience/index.js";
import type { BackgroundTask } from "../../server/background.js";
import { sloWindowBounds } from "../evaluator-core.js";
import type { PrometheusSource, Slo } from "../model.js";
import { RETENTION_MS, type SloRuntime } from "../slo-runtime.js";
import { displayUrl, PrometheusBackends, queryFailureKind } from "./prometheus-client.js";
import { MAX_POINTS_PER_QUERY, prometheusSource } from "./prometheus-source.js";
import { type PullPlan, planPull } from "./pull-plan.js";
import { chunkRange, type Source } from "./source.js";
import type { SourceStatus } from "./source-status.js";

export interface SourcePullerOptions {
  readonly runtime: SloRuntime;
  readonly log: FastifyBaseLogger;
  /** The live step: each pull asks for the events of the last step (`{{window}}` = step). */
  readonly stepMs: number;
  /** Steps end this long before now, so that the backend has ingested their last scrape. */
  readonly delayMs: number;
  /** SLOs pulled at the same time (each pull sends its two queries in parallel). */
  readonly concurrency: number;
  readonly events?: ResilienceEvents;
  readonly backends?: PrometheusBackends;
  readonly now?: () => number;
  readonly maxPointsPerQuery?: number;
  /** Steps fetched and stored per back-fill chunk (the unit of progress). Default 1,440. */
  readonly chunkSteps?: number;
}

interface PullState {
  readonly key: string;
  readonly source: Source;
  cursor: number | null;
  busy: boolean;
  readonly status: Mutable<SourceStatus>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Pulls the SLI of every SLO whose spec has a Prometheus source (leader only). Each pass brings
 * each such SLO from its newest stored sample up to the last whole step: one instant query pair
 * per tick when all is well; a `query_range` catch-up after an outage or a restart; a back-fill
 * of the SLO window when the spec is new. Samples go to the same log and SLI store as pushed ones,
 * so budgets, burn rates and alerts work the same. Failures are kept on the SLO's
 * {@link SourceStatus} (the SLO shows "no data"), never turned into samples.
 */
export class SourcePuller {
  private readonly states = new Map<string, PullState>();
  private readonly backends: PrometheusBackends;
  private readonly now: () => number;
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private signal: AbortSignal | undefined;

  constructor(private readonly options: SourcePullerOptions) {
    this.backends =
      options.backends ?? new PrometheusBackends(options.events ? { events: options.events } : {});
    this.now = options.now ?? Date.now;
  }

  /** Status of an SLO's pulled source, when it has one. */
  status(id: string): SourceStatus | undefined {
    return this.states.get(id)?.status;
  }

  /** The newest step end a pass at `nowMs` fetches. */
  endOf(nowMs: number): number {
    const { stepMs, delayMs } = this.options;
    return Math.floor((nowMs - delayMs) / stepMs) * stepMs;
  }

  /**
   * One pass over every Prometheus-sourced SLO; resolves when the pulls it started are done. An
   * SLO whose previous pull (e.g. a long back-fill) is still running is skipped.
   */
  async run(nowMs = this.now()): Promise<void> {
    const { runtime } = this.options;
    for (const id of this.states.keys()) {
      const spec = runtime.specs.get(id);
      if (!spec || !isPulled(spec)) {
        this.states.delete(id);
        runtime.sourceStatus.delete(id);
      }
    }
    const endMs = this.endOf(nowMs);
    const jobs: Promise<void>[] = [];
    for (const slo of runtime.specs.values()) {
      if (!isPulled(slo) || slo.source.kind !== "prometheus") continue;
      const state = this.stateOf(slo, slo.source);
      if (state.busy) continue;
      const plan = planPull({
        cursorMs: state.cursor,
        windowStartMs: Math.max(sloWindowBounds(slo, endMs).fromMs, endMs - RETENTION_MS + 86_400_000),
        endMs,
        stepMs: this.options.stepMs,
      });
      if (!plan) continue;
      state.busy = true;
      jobs.push(this.limited(() => this.pull(slo, state, plan)));
    }
    await Promise.all(jobs);
  }

  /** Leader task: a pass every few seconds (a pass only queries SLOs with a whole new step). */
  task(): BackgroundTask {
    const everyMs = Math.min(this.options.stepMs, 5_000);
    return {
      name: "slo-pull",
      start: (signal) => {
        this.signal = signal;
        const loop = () => {
          if (signal.aborted) return;
          this.run().catch((err: unknown) =>
            this.options.log.error({ err, task: "slo-pull" }, "background run failed"),
          );
          setTimeout(loop, everyMs).unref();
        };
        setTimeout(loop, 0).unref();
      },
    };
  }

  private stateOf(slo: Slo, spec: PrometheusSource): PullState {
    const key = JSON.stringify([spec, slo.sli]);
    const existing = this.states.get(slo.id);
    if (existing?.key === key) return existing;
    const head = this.options.runtime.sli.get(slo.id)?.headTs ?? Number.NaN;
    const cursor = existing ? existing.cursor : Number.isNaN(head) ? null : head;
    const status: Mutable<SourceStatus> = {
      kind: "prometheus",
      url: displayUrl(spec.url),
      state: "pending",
      error: null,
      lastSuccessAt: existing?.status.lastSuccessAt ?? null,
      lastSampleAt: cursor,
      warnings: [],
      backfill: existing?.status.backfill ?? null,
      condition: null,
    };
    const state: PullState = {
      key,
      source: prometheusSource(slo, this.backends, this.options.maxPointsPerQuery ?? MAX_POINTS_PER_QUERY),
      cursor,
      busy: existing?.busy ?? false,
      status,
    };
    this.states.set(slo.id, state);
    this.options.runtime.sourceStatus.set(slo.id, status);
    return state;
  }

  private async pull(slo: Slo, state: PullState, plan: PullPlan): Promise<void> {
    const { runtime, log } = this.options;
    const status = state.status;
    // A back-fill cut short by a failure goes on from where it stopped, with the same progress.
    const previous = status.backfill;
    const backfill = plan.kind === "backfill" || (previous !== null && previous.state !== "done");
    const base = plan.kind === "backfill" || previous === null ? 0 : previous.doneSteps;
    if (backfill) {
      status.state = "backfilling";
      status.backfill = {
        state: "running",
        fromMs: previous && plan.kind !== "backfill" ? previous.fromMs : plan.fromMs,
        toMs: plan.toMs,
        steps: base + plan.steps,
        doneSteps: base,
        percent: Math.round((1000 * base) / (base + plan.steps)) / 10,
        startedAt: previous && plan.kind !== "backfill" ? previous.startedAt : this.now(),
        finishedAt: null,
      };
      log.info(
        { slo: slo.id, from: new Date(plan.fromMs).toISOString(), steps: plan.steps },
        "back-filling the SLO window from Prometheus",
      );
    }
    let done = 0;
    const warnings = new Set<string>();
    try {
      for (const range of plan.ranges) {
        for (const chunk of chunkRange(range, this.options.chunkSteps ?? MAX_POINTS_PER_QUERY)) {
          const read = await state.source.read(chunk, this.signal ? { signal: this.signal } : {});
          for (const w of read.warnings) warnings.add(w);
          // The path pushed samples take: the log (durable), then the SLI store and the evaluator.
          if (read.samples.length > 0)
            await runtime.ingest(
              read.samples.map((s) => ({ sloId: slo.id, ts: s.ts, good: s.good, total: s.total })),
              new Map(),
              this.now(),
            );
          state.cursor = chunk.toMs;
          status.lastSampleAt = chunk.toMs;
          done += (chunk.toMs - chunk.fromMs) / chunk.stepMs;
          if (backfill && status.backfill) {
            status.backfill.doneSteps = base + done;
            status.backfill.percent = Math.round((1000 * (base + done)) / status.backfill.steps) / 10;
            log.info({ slo: slo.id, percent: status.backfill.percent }, "back-fill progress");
          }
        }
      }
      if (status.error) log.info({ slo: slo.id, url: status.url }, "SLI source answers again");
      status.state = "ok";
      status.error = null;
      status.condition = null;
      status.lastSuccessAt = this.now();
      status.warnings = [...warnings];
      if (backfill && status.backfill) {
        status.backfill.state = "done";
        status.backfill.finishedAt = this.now();
        log.info({ slo: slo.id, steps: status.backfill.steps }, "back-fill done");
      }
    } catch (error) {
      this.fail(slo, status, error);
      if (backfill && status.backfill) status.backfill.state = "failed";
    } finally {
      state.busy = false;
    }
  }

  private fail(slo: Slo, status: Mutable<SourceStatus>, error: unknown): void {
    const now = this.now();
    const message = error instanceof Error ? error.message : String(error);
    const code = isNinesError(error) ? error.code : "NINES_ERR_PROMQL_UNAVAILABLE";
    const first = status.error === null;
    status.state = "error";
    status.error = {
      kind: queryFailureKind(error),
      code,
      message,
      since: status.error?.since ?? now,
      failures: (status.error?.failures ?? 0) + 1,
    };
    status.condition = {
      name: "source-error",
      severity: "ticket",
      since: status.error.since,
      message: `no SLI data from ${status.url}: ${message}`,
    };
    const log = this.options.log;
    if (first) log.warn({ slo: slo.id, url: status.url, code }, `SLI source failed: ${message}`);
    else log.debug({ slo: slo.id, url: status.url, code, failures: status.error.failures }, message);
  }

  /** Runs `work` when fewer than `concurrency` pulls run; a finishing pull hands its slot on. */
  private async limited(work: () => Promise<void>): Promise<void> {
    if (this.running >= this.options.concurrency)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * A Prometheus-sourced SLO with a `selector` receives its series by remote write instead
 * (docs/prometheus.md); pulling it as well would count every event twice.
 */
export function isPulled(slo: Slo): boolean {
  return slo.source.kind === "prometheus" && slo.source.selector === undefined;
}
