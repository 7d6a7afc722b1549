import type { FastifyBaseLogger } from "fastify";
import { SliStore } from "../tsdb/sli-store.js";
import { Evaluator } from "./evaluator.js";
import type { AlertEvent, SloStatus } from "./evaluator-types.js";
import type { Slo } from "./model.js";
import type { BudgetAdjustment, SloStore, StoredSample } from "./slo.store.js";

/** History kept for every SLO: the longest window (35 days) plus charts. */
export const RETENTION_MS = 35 * 86_400_000;

export interface SloRuntimeOptions {
  readonly store: SloStore;
  readonly log: FastifyBaseLogger;
  readonly now?: () => number;
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
  private readonly slos = new Map<string, Slo>();
  private readonly listeners: ((events: readonly AlertEvent[]) => void)[] = [];
  private lastSeq = 0;
  /** Highest log position each SLO's rebuild already read, so that following does not count it twice. */
  private readonly loadedSeq = new Map<string, number>();
  /** Lines the database says were firing, until the first tick reconciles them. */
  private restored: Map<string, Set<string>> | undefined;
  private readonly now: () => number;

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
    }
    this.slos.set(slo.id, slo);
    this.evaluator.register(slo);
    const adjustments = await this.options.store.adjustments(slo.id);
    const samples = await this.options.store.samplesOf(slo.id, this.now() - RETENTION_MS);
    for (const s of samples) this.applySample(s, adjustments);
    this.loadedSeq.set(
      slo.id,
      samples.reduce((max, s) => Math.max(max, s.seq), 0),
    );
    if (firing.length > 0) {
      this.restored ??= new Map();
      this.restored.set(slo.id, new Set(firing));
    }
  }

  unregister(id: string): void {
    if (!this.slos.delete(id)) return;
    this.evaluator.unregister(id);
    this.sli.delete(id);
    this.loadedSeq.delete(id);
  }

  /** Applies samples committed to the database (by this or another replica) since the last call. */
  async follow(): Promise<number> {
    let applied = 0;
    for (;;) {
      const batch = await this.options.store.samplesAfter(this.lastSeq);
      if (batch.length === 0) return applied;
      for (const s of batch) {
        if (this.slos.has(s.sloId) && s.seq > (this.loadedSeq.get(s.sloId) ?? 0)) this.applySample(s, []);
        this.lastSeq = Math.max(this.lastSeq, s.seq);
      }
      applied += batch.length;
    }
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

  private applySample(
    s: StoredSample | { sloId: string; ts: number; good: number; total: number },
    adjustments: readonly BudgetAdjustment[],
  ) {
    // A budget adjustment excludes its range: its events count as good (SRE Workbook, "Implementing SLOs": planned maintenance or a dependency's outage that is not ours).
    const excluded = adjustments.some((a) => s.ts > a.fromMs && s.ts <= a.toMs);
    this.sli.append(s.sloId, s.ts, excluded ? s.total : s.good, s.total);
  }
}
