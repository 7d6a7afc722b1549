import type { CompiledQuery, Kysely, Transaction } from "kysely";
import type { Database } from "../db/database.js";
import { decodeBatch, encodeBatch, type SampleColumns, toColumns } from "../tsdb/sample-batch.js";
import type { AlertEvent } from "./evaluator-types.js";
import { finiteOrZero } from "./finite.js";
import type { Slo } from "./model.js";
import type { CounterReading } from "./sample-input.js";

/** An SLO as applied: the normalized spec, its native YAML and its version. */
export interface StoredSlo {
  readonly slo: Slo;
  readonly yaml: string;
  readonly format: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AppliedSpec {
  readonly slo: Slo;
  readonly yaml: string;
  readonly format: string;
}

export type ApplyOutcome = "created" | "updated" | "unchanged";

/** One stored SLI sample: events in the interval ending at `ts`. */
export interface StoredSample {
  readonly seq: number;
  readonly sloId: string;
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

export interface Annotation {
  readonly id: number;
  readonly sloId: string;
  readonly kind: string;
  readonly at: number;
  readonly endAt: number | null;
  readonly text: string;
  readonly author: string;
}

export interface BudgetAdjustment {
  readonly id: number;
  readonly sloId: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly reason: string;
  readonly author: string;
  readonly createdAt: number;
}

/** One batch of the sample log, decoded. */
export interface LoggedBatch {
  readonly seq: number;
  readonly columns: SampleColumns;
}

export interface CompactOptions {
  /** Only batches received at least this long ago are compacted (default 60 s: slower commits become visible first). */
  readonly settleMs?: number;
  /** Compacted batches stay this long for followers (default 1 h). */
  readonly keepMs?: number;
  /** Samples compacted per run, at most (default 500,000). */
  readonly limit?: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Group commits of the sample log in flight at once (committing, or awaiting their sync). */
const MAX_GROUPS_IN_FLIGHT = 4;

/** SQL for the SLO domain: specs with version history, the sample log, alert events, annotations. */
export function sloStore(db: Kysely<Database>) {
  const toStored = (row: Database["slo_specs"]): StoredSlo => ({
    slo: JSON.parse(row.spec_json) as Slo,
    yaml: row.yaml,
    format: row.format,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  /** The batch insert, compiled once: building and compiling it per batch cost more than the insert. */
  const batchInsert: BatchInsert = db
    .insertInto("sli_sample_batches")
    .values({ received_at: 0, min_ts: 0, max_ts: 0, samples: 0, payload: Buffer.alloc(0) })
    .returning("seq")
    .compile();
  /** Batches committed by this process, by seq, until a follower takes them (bounded). */
  const ownBatches = new Map<number, SampleColumns>();
  /**
   * Seqs this process wrote whose transaction has not resolved yet (SQLite resolves a commit once
   * the log is synced). Followers read the log only below the oldest of them: such a batch is
   * taken from memory once its transaction resolved, and never applied before it committed.
   */
  const unsettled = new Set<number>();
  const lowestUnsettled = () => (unsettled.size > 0 ? Math.min(...unsettled) : Number.MAX_SAFE_INTEGER);
  const writeBatch = async (trx: Db, columns: SampleColumns, now: number, mine: LoggedBatch[]) => {
    const seq = await insertBatch(trx, batchInsert, columns, now);
    unsettled.add(seq);
    mine.push({ seq, columns });
  };
  const settle = (mine: readonly LoggedBatch[], committed: boolean) => {
    for (const b of mine) {
      unsettled.delete(b.seq);
      if (!committed) continue;
      ownBatches.set(b.seq, b.columns);
      if (ownBatches.size > 256) ownBatches.delete(ownBatches.keys().next().value!);
    }
  };
  interface Pending {
    readonly columns: SampleColumns;
    readonly readings: ReadonlyMap<string, CounterReading>;
    readonly now: number;
    readonly done: (error?: unknown) => void;
  }
  let queue: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;
  const commitGroup = async (group: readonly Pending[]) => {
    const mine: LoggedBatch[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const p of group) {
          await writeReadings(trx, p.readings);
          if (p.columns.ts.length > 0) await writeBatch(trx, p.columns, p.now, mine);
        }
      });
      settle(mine, true);
      for (const p of group) p.done();
    } catch (error) {
      settle(mine, false);
      for (const p of group) p.done(error);
    }
  };
  // A group's transaction resolves once it is durable (on SQLite, after the log's sync on the
  // thread pool). The next group commits meanwhile instead of waiting for that sync: commits stay
  // in order (one connection, or `unsettled` for followers), and syncs are shared (WalSync).
  const flush = () => {
    scheduled = false;
    if (queue.length === 0 || inFlight >= MAX_GROUPS_IN_FLIGHT) return;
    const group = queue;
    queue = [];
    inFlight++;
    void commitGroup(group).finally(() => {
      inFlight--;
      if (queue.length > 0) schedule();
    });
  };
  // After the current I/O phase, so that requests parsed in the same turn share the commit.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  /** Resolves once the batch is durable, committed together with the batches queued in the same turn. */
  const groupCommit = (columns: SampleColumns, readings: ReadonlyMap<string, CounterReading>, now: number) =>
    new Promise<void>((resolve, reject) => {
      queue.push({
        columns,
        readings,
        now,
        done: (error) => (error === undefined ? resolve() : reject(error)),
      });
      schedule();
    });

  return {
    /** Applies specs in one transaction; a spec equal to its current version is left as it is. */
    async apply(specs: readonly AppliedSpec[], actor: string, now = Date.now()): Promise<ApplyOutcome[]> {
      return db.transaction().execute(async (trx) => {
        const outcomes: ApplyOutcome[] = [];
        for (const spec of specs) {
          const json = JSON.stringify(spec.slo);
          const current = await trx
            .selectFrom("slo_specs")
            .selectAll()
            .where("id", "=", spec.slo.id)
            .executeTakeFirst();
          if (current && current.deleted_at === null && current.spec_json === json) {
            outcomes.push("unchanged");
            continue;
          }
          const version = (current?.version ?? 0) + 1;
          const values = {
            service: spec.slo.service,
            name: spec.slo.name,
            team: spec.slo.team,
            format: spec.format,
            spec_json: json,
            yaml: spec.yaml,
            version,
            updated_at: now,
            deleted_at: null,
          };
          if (current) await trx.updateTable("slo_specs").set(values).where("id", "=", spec.slo.id).execute();
          else
            await trx
              .insertInto("slo_specs")
              .values({ id: spec.slo.id, created_at: now, ...values })
              .execute();
          await trx
            .insertInto("slo_spec_versions")
            .values({
              slo_id: spec.slo.id,
              version,
              spec_json: json,
              yaml: spec.yaml,
              applied_at: now,
              applied_by: actor,
              change: "apply",
            })
            .execute();
          outcomes.push(current && current.deleted_at === null ? "updated" : "created");
        }
        return outcomes;
      });
    },

    async list(): Promise<StoredSlo[]> {
      const rows = await db
        .selectFrom("slo_specs")
        .selectAll()
        .where("deleted_at", "is", null)
        .orderBy("id")
        .execute();
      return rows.map(toStored);
    },

    async get(id: string): Promise<StoredSlo | undefined> {
      const row = await db
        .selectFrom("slo_specs")
        .selectAll()
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      return row ? toStored(row) : undefined;
    },

    async versions(id: string) {
      const rows = await db
        .selectFrom("slo_spec_versions")
        .select(["version", "yaml", "applied_at", "applied_by", "change"])
        .where("slo_id", "=", id)
        .orderBy("version", "desc")
        .execute();
      return rows.map((r) => ({
        version: r.version,
        yaml: r.yaml,
        appliedAt: r.applied_at,
        appliedBy: r.applied_by,
        change: r.change,
      }));
    },

    /** Soft-deletes a spec (its history and samples stay); false when there was none. */
    async remove(id: string, actor: string, now = Date.now()): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom("slo_specs")
          .selectAll()
          .where("id", "=", id)
          .where("deleted_at", "is", null)
          .executeTakeFirst();
        if (!current) return false;
        const version = current.version + 1;
        await trx
          .updateTable("slo_specs")
          .set({ deleted_at: now, version, updated_at: now })
          .where("id", "=", id)
          .execute();
        await trx
          .insertInto("slo_spec_versions")
          .values({
            slo_id: id,
            version,
            spec_json: current.spec_json,
            yaml: current.yaml,
            applied_at: now,
            applied_by: actor,
            change: "delete",
          })
          .execute();
        return true;
      });
    },

    /**
     * Stores samples durably as ONE row of the sample log (and the counter readings) in one
     * transaction. The samples `verify` selects (default: all) are first compared with the stored
     * history of their (SLO, timestamp): an equal one is skipped, a different one is written and
     * reported as replaced. Returns the samples written and the replaced ones.
     */
    async writeSamples(
      samples: readonly { sloId: string; ts: number; good: number; total: number }[],
      now = Date.now(),
      readings: ReadonlyMap<string, CounterReading> = new Map(),
      verify: (sample: { sloId: string; ts: number }) => boolean = () => true,
    ) {
      if (!samples.some(verify)) {
        // Nothing to compare: join the next group commit (one transaction, one fsync, many batches).
        if (samples.length > 0 || readings.size > 0) await groupCommit(toColumns(samples), readings, now);
        return { written: [...samples], replaced: [] as { sloId: string; ts: number }[] };
      }
      const mine: LoggedBatch[] = [];
      const result = await db
        .transaction()
        .execute(async (trx) => {
          await writeReadings(trx, readings);
          const checked = samples.filter(verify);
          const existing =
            checked.length === 0
              ? new Map<string, { good: number; total: number }>()
              : await storedAt(trx, checked);
          const fresh: (typeof samples)[number][] = [];
          const replaced: { sloId: string; ts: number }[] = [];
          const seen = new Set<string>();
          for (const s of samples) {
            if (checked.length > 0 && verify(s)) {
              const key = `${s.sloId}\u0000${s.ts}`;
              const old = existing.get(key);
              if (old && old.good === s.good && old.total === s.total) continue;
              if (old && !seen.has(key)) replaced.push({ sloId: s.sloId, ts: s.ts });
              seen.add(key);
              existing.set(key, { good: s.good, total: s.total });
            }
            fresh.push(s);
          }
          if (fresh.length > 0) await writeBatch(trx, toColumns(fresh), now, mine);
          return { written: fresh, replaced };
        })
        .catch((error: unknown) => {
          settle(mine, false);
          throw error;
        });
      settle(mine, true);
      return result;
    },

    /** Stores columns as one batch of the log in the next group commit, without comparing them with stored samples. */
    appendColumns(columns: SampleColumns, now = Date.now()): Promise<void> {
      return groupCommit(columns, new Map(), now);
    },

    /** The last cumulative counter reading of each SLO that has one. */
    async counterReadings(ids: readonly string[]): Promise<Map<string, CounterReading>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom("sli_counter_readings")
        .selectAll()
        .where("slo_id", "in", ids)
        .execute();
      return new Map(rows.map((r) => [r.slo_id, { ts: r.ts, good: r.good, total: r.total }]));
    },

    /**
     * The batches this process committed right after `seq`, from memory, while they follow on
     * without a gap (about `limit` samples at most); `more` when the log must be read for the rest.
     */
    ownBatchesAfter(
      seq: number,
      limit = 200_000,
    ): { batches: LoggedBatch[]; samples: number; more: boolean } {
      const batches: LoggedBatch[] = [];
      let samples = 0;
      let after = seq;
      for (let next = ownBatches.get(after + 1); next && samples < limit; next = ownBatches.get(after + 1)) {
        ownBatches.delete(after + 1);
        batches.push({ seq: after + 1, columns: next });
        samples += next.ts.length;
        after++;
      }
      let more = samples >= limit;
      for (const own of ownBatches.keys()) if (own > after) more = true;
      return { batches, samples, more };
    },

    /** Batches of the log after `seq`, oldest first, decoded (about `limit` samples at most, one batch at least). */
    async batchesAfter(seq: number, limit = 200_000): Promise<LoggedBatch[]> {
      const own = this.ownBatchesAfter(seq, limit);
      const out = own.batches;
      let samples = own.samples;
      let after = seq + out.length;
      const below = lowestUnsettled();
      while (samples < limit) {
        const rows = await db
          .selectFrom("sli_sample_batches")
          .select(["seq", "samples", "payload"])
          .where("seq", ">", after)
          .where("seq", "<", below)
          .orderBy("seq")
          .limit(64)
          .execute();
        for (const r of rows) {
          out.push({ seq: Number(r.seq), columns: decodeBatch(r.payload) });
          samples += r.samples;
          after = Number(r.seq);
        }
        if (rows.length < 64) break;
      }
      return out;
    },

    /** Samples written after `seq` (the log other replicas follow), oldest first. */
    async samplesAfter(seq: number, limit = 50_000): Promise<StoredSample[]> {
      const out: StoredSample[] = [];
      for (const b of await this.batchesAfter(seq, limit)) {
        const c = b.columns;
        for (let i = 0; i < c.ts.length; i++)
          out.push({
            seq: b.seq,
            sloId: c.ids[c.series[i]!]!,
            ts: c.ts[i]!,
            good: c.good[i]!,
            total: c.total[i]!,
          });
      }
      return out;
    },

    /**
     * One SLO's samples with `ts > fromTs`, by time, the latest write of each timestamp (to rebuild
     * its series), and the log position they include: every batch up to `seq` was read.
     */
    async historyOf(sloId: string, fromTs: number): Promise<{ samples: StoredSample[]; seq: number }> {
      const merged = new Map<number, StoredSample>();
      const inFlight = lowestUnsettled();
      const seq = await readHistory(db, [sloId], fromTs, Number.POSITIVE_INFINITY, (s) =>
        merged.set(s.ts, s),
      );
      // A batch of this process whose transaction had not resolved may be missing from what was
      // read while a later one is there (PostgreSQL commits out of order): stay below it, so that
      // following the log applies it (applying a sample the history already held replaces it).
      const below = Math.min(inFlight, lowestUnsettled()) - 1;
      return { samples: [...merged.values()].sort((a, b) => a.ts - b.ts), seq: Math.min(seq, below) };
    },

    /** One SLO's samples from `fromTs` on, by time (see {@link historyOf}). */
    async samplesOf(sloId: string, fromTs: number): Promise<StoredSample[]> {
      return (await this.historyOf(sloId, fromTs)).samples;
    },

    /** The newest position of the sample log. */
    async maxSampleSeq(): Promise<number> {
      const row = await db
        .selectFrom("sli_sample_batches")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .executeTakeFirst();
      const state = await db.selectFrom("sli_log_state").select("compacted_seq").executeTakeFirst();
      return Math.max(Number(row?.seq ?? 0), Number(state?.compacted_seq ?? 0));
    },

    /**
     * Moves batches received before `now - settleMs` into per-SLO chunks (at most `limit` samples a
     * run), and drops compacted batches received before `now - keepMs` (followers read them until
     * then). Safe to run on several replicas: the position only moves once. Returns samples compacted.
     */
    async compactSampleLog(now = Date.now(), options: CompactOptions = {}): Promise<number> {
      const settleMs = options.settleMs ?? 60_000;
      const keepMs = options.keepMs ?? 3_600_000;
      const limit = options.limit ?? 500_000;
      return db.transaction().execute(async (trx) => {
        const from = Number(
          (
            await trx
              .selectFrom("sli_log_state")
              .select("compacted_seq")
              .where("id", "=", 1)
              .executeTakeFirst()
          )?.compacted_seq ?? 0,
        );
        const heads = await trx
          .selectFrom("sli_sample_batches")
          .select(["seq", "samples"])
          .where("seq", ">", from)
          .where("received_at", "<", now - settleMs)
          .orderBy("seq")
          .limit(10_000)
          .execute();
        let to = from;
        let count = 0;
        for (const h of heads) {
          if (count > 0 && count + h.samples > limit) break;
          to = Number(h.seq);
          count += h.samples;
        }
        if (to > from) {
          // Claim the range first: a second compactor blocks here, then finds the position moved.
          const claimed = await trx
            .updateTable("sli_log_state")
            .set({ compacted_seq: to })
            .where("id", "=", 1)
            .where("compacted_seq", "=", from)
            .executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) return 0;
          const rows = await trx
            .selectFrom("sli_sample_batches")
            .select("payload")
            .where("seq", ">", from)
            .where("seq", "<=", to)
            .orderBy("seq")
            .execute();
          const perSlo = new Map<string, Map<number, { ts: number; good: number; total: number }>>();
          for (const r of rows) {
            const c = decodeBatch(r.payload);
            for (let i = 0; i < c.ts.length; i++) {
              const id = c.ids[c.series[i]!]!;
              let m = perSlo.get(id);
              if (!m) {
                m = new Map();
                perSlo.set(id, m);
              }
              const ts = c.ts[i]!;
              m.delete(ts);
              m.set(ts, { ts, good: c.good[i]!, total: c.total[i]! });
            }
          }
          const chunks = [...perSlo].map(([sloId, m]) => {
            const list = [...m.values()].map((s) => ({ sloId, ...s }));
            let min = Number.POSITIVE_INFINITY;
            let max = Number.NEGATIVE_INFINITY;
            for (const s of list) {
              if (s.ts < min) min = s.ts;
              if (s.ts > max) max = s.ts;
            }
            return {
              slo_id: sloId,
              from_seq: from,
              to_seq: to,
              min_ts: min,
              max_ts: max,
              samples: list.length,
              payload: encodeBatch(toColumns(list)),
            };
          });
          for (let i = 0; i < chunks.length; i += 500)
            await trx
              .insertInto("sli_sample_chunks")
              .values(chunks.slice(i, i + 500))
              .execute();
        }
        await trx
          .deleteFrom("sli_sample_batches")
          .where("seq", "<=", to)
          .where("received_at", "<", now - keepMs)
          .execute();
        return count;
      });
    },

    /** Drops history older than `ts` (old rows, chunks and compacted batches); returns the rows deleted. */
    async deleteSamplesBefore(ts: number): Promise<number> {
      let deleted = 0;
      const legacy = await db.deleteFrom("sli_samples").where("ts", "<", ts).executeTakeFirst();
      deleted += Number(legacy.numDeletedRows);
      const chunks = await db.deleteFrom("sli_sample_chunks").where("max_ts", "<", ts).executeTakeFirst();
      deleted += Number(chunks.numDeletedRows);
      const state = await db.selectFrom("sli_log_state").select("compacted_seq").executeTakeFirst();
      const batches = await db
        .deleteFrom("sli_sample_batches")
        .where("max_ts", "<", ts)
        .where("seq", "<=", Number(state?.compacted_seq ?? 0))
        .executeTakeFirst();
      return deleted + Number(batches.numDeletedRows);
    },

    async writeAlertEvents(events: readonly AlertEvent[]): Promise<void> {
      // 10 columns a row: 1,000 rows a statement stay under SQLite's 32,766 parameters.
      for (let i = 0; i < events.length; i += 1_000) {
        await db
          .insertInto("slo_alert_events")
          .values(
            events.slice(i, i + 1_000).map((e) => ({
              slo_id: e.sloId,
              service: e.service,
              line: e.line,
              severity: e.severity,
              state: e.state,
              at: e.at,
              burn_long: finiteOrZero(e.burnRates.long),
              burn_short: finiteOrZero(e.burnRates.short),
              budget_remaining: finiteOrZero(e.budgetRemaining),
              reason: e.reason,
            })),
          )
          .execute();
      }
    },

    async alertEvents(filter: {
      sloId?: string;
      from?: number;
      to?: number;
      limit?: number;
    }): Promise<(AlertEvent & { id: number })[]> {
      let query = db.selectFrom("slo_alert_events").selectAll();
      if (filter.sloId) query = query.where("slo_id", "=", filter.sloId);
      if (filter.from !== undefined) query = query.where("at", ">=", filter.from);
      if (filter.to !== undefined) query = query.where("at", "<=", filter.to);
      const rows = await query
        .orderBy("at", "desc")
        .orderBy("id", "desc")
        .limit(filter.limit ?? 500)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        sloId: r.slo_id,
        service: r.service,
        line: r.line,
        severity: r.severity as AlertEvent["severity"],
        state: r.state as AlertEvent["state"],
        at: r.at,
        burnRates: { long: r.burn_long, short: r.burn_short },
        budgetRemaining: r.budget_remaining,
        reason: r.reason,
      }));
    },

    /** Lines whose latest event is "firing", per SLO: the alert state to resume after a restart. */
    async firingLines(): Promise<Map<string, Set<string>>> {
      const rows = await db
        .selectFrom("slo_alert_events")
        .select(["slo_id", "line", "state"])
        .orderBy("at")
        .orderBy("id")
        .execute();
      const firing = new Map<string, Set<string>>();
      for (const r of rows) {
        const set = firing.get(r.slo_id) ?? new Set<string>();
        if (r.state === "firing") set.add(r.line);
        else set.delete(r.line);
        firing.set(r.slo_id, set);
      }
      return firing;
    },

    async addAnnotation(a: Omit<Annotation, "id">, now = Date.now()): Promise<Annotation> {
      const row = await db
        .insertInto("slo_annotations")
        .values({
          slo_id: a.sloId,
          kind: a.kind,
          at: a.at,
          end_at: a.endAt,
          text: a.text,
          author: a.author,
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ...a, id: Number(row.id) };
    },

    async annotations(sloId: string, from: number, to: number): Promise<Annotation[]> {
      const rows = await db
        .selectFrom("slo_annotations")
        .selectAll()
        .where("slo_id", "=", sloId)
        .where("at", ">=", from)
        .where("at", "<=", to)
        .orderBy("at")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        sloId: r.slo_id,
        kind: r.kind,
        at: r.at,
        endAt: r.end_at,
        text: r.text,
        author: r.author,
      }));
    },

    /** Records a budget adjustment and its audit entry in one transaction. */
    async addAdjustment(
      a: Omit<BudgetAdjustment, "id" | "createdAt">,
      now = Date.now(),
    ): Promise<BudgetAdjustment> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("slo_budget_adjustments")
          .values({
            slo_id: a.sloId,
            from_ms: a.fromMs,
            to_ms: a.toMs,
            reason: a.reason,
            author: a.author,
            created_at: now,
            revoked_at: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("audit_log")
          .values({
            at: now,
            actor: a.author,
            action: "slo.budget.adjust",
            subject: a.sloId,
            details: JSON.stringify({ id: row.id, ...a }),
          })
          .execute();
        return { ...a, id: Number(row.id), createdAt: now };
      });
    },

    async adjustments(sloId: string): Promise<BudgetAdjustment[]> {
      const rows = await db
        .selectFrom("slo_budget_adjustments")
        .selectAll()
        .where("slo_id", "=", sloId)
        .where("revoked_at", "is", null)
        .orderBy("from_ms")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        sloId: r.slo_id,
        fromMs: r.from_ms,
        toMs: r.to_ms,
        reason: r.reason,
        author: r.author,
        createdAt: r.created_at,
      }));
    },
  };
}

export type SloStore = ReturnType<typeof sloStore>;

/** Stored samples at the given (SLO, timestamp) pairs: the latest write of each, keyed `id\0ts`. */
async function storedAt(trx: Db, samples: readonly { sloId: string; ts: number }[]) {
  const existing = new Map<string, { good: number; total: number }>();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const wanted = new Set<string>();
  for (const s of samples) {
    if (s.ts < min) min = s.ts;
    if (s.ts > max) max = s.ts;
    wanted.add(`${s.sloId}\u0000${s.ts}`);
  }
  const ids = [...new Set(samples.map((s) => s.sloId))];
  for (let i = 0; i < ids.length; i += 500) {
    await readHistory(trx, ids.slice(i, i + 500), min - 1, max, (s) => {
      const key = `${s.sloId}\u0000${s.ts}`;
      if (wanted.has(key)) existing.set(key, { good: s.good, total: s.total });
    });
  }
  return existing;
}

async function writeReadings(trx: Db, readings: ReadonlyMap<string, CounterReading>): Promise<void> {
  for (const [sloId, r] of readings) {
    await trx
      .insertInto("sli_counter_readings")
      .values({ slo_id: sloId, ts: r.ts, good: r.good, total: r.total })
      .onConflict((oc) => oc.column("slo_id").doUpdateSet({ ts: r.ts, good: r.good, total: r.total }))
      .execute();
  }
}

type BatchInsert = CompiledQuery<{ seq: number | string }>;

/** Runs the compiled batch insert (see `sloStore`) with this batch's parameters; resolves to its seq. */
async function insertBatch(trx: Db, insert: BatchInsert, c: SampleColumns, now: number): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < c.ts.length; i++) {
    const t = c.ts[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const { rows } = await trx.executeQuery<{ seq: number | string }>({
    ...insert,
    parameters: [now, min, max, c.ts.length, encodeBatch(c)],
  });
  return Number(rows[0]!.seq);
}

/**
 * Calls `visit` with every stored sample of `ids` with `fromTs < ts <= toTs`, in write order (so
 * the last call for a timestamp is its current value): rows of the old per-sample table, then
 * compacted chunks, then batches not compacted yet. Returns the log position read through.
 */
async function readHistory(
  trx: Db,
  ids: readonly string[],
  fromTs: number,
  toTs: number,
  visit: (s: StoredSample) => void,
): Promise<number> {
  const wanted = new Set(ids);
  const compacted = Number(
    (await trx.selectFrom("sli_log_state").select("compacted_seq").where("id", "=", 1).executeTakeFirst())
      ?.compacted_seq ?? 0,
  );
  let legacy = trx
    .selectFrom("sli_samples")
    .select(["slo_id", "ts", "good", "total"])
    .where("slo_id", "in", ids)
    .where("ts", ">", fromTs);
  if (Number.isFinite(toTs)) legacy = legacy.where("ts", "<=", toTs);
  for (const r of await legacy.orderBy("seq").execute())
    visit({ seq: 0, sloId: r.slo_id, ts: r.ts, good: r.good, total: r.total });
  let chunks = trx
    .selectFrom("sli_sample_chunks")
    .select(["to_seq", "payload"])
    .where("slo_id", "in", ids)
    .where("to_seq", "<=", compacted)
    .where("max_ts", ">", fromTs);
  if (Number.isFinite(toTs)) chunks = chunks.where("min_ts", "<=", toTs);
  for (const r of await chunks.orderBy("to_seq").execute())
    visitColumns(decodeBatch(r.payload), Number(r.to_seq));
  // The newest position first: a batch committed while the tail is read is then either read or
  // above the position returned, so that a follower applies it; reading it last could return a
  // position past a batch that the tail read missed.
  const newest = Number.isFinite(toTs)
    ? 0
    : Number(
        (
          await trx
            .selectFrom("sli_sample_batches")
            .select((eb) => eb.fn.max("seq").as("seq"))
            .executeTakeFirst()
        )?.seq ?? 0,
      );
  let after = compacted;
  for (;;) {
    let tail = trx
      .selectFrom("sli_sample_batches")
      .select(["seq", "payload"])
      .where("seq", ">", after)
      .where("max_ts", ">", fromTs);
    if (Number.isFinite(toTs)) tail = tail.where("min_ts", "<=", toTs);
    const rows = await tail.orderBy("seq").limit(256).execute();
    for (const r of rows) {
      after = Number(r.seq);
      visitColumns(decodeBatch(r.payload), after);
    }
    if (rows.length < 256) break;
  }
  // Batches skipped by the time filter hold nothing newer than `fromTs`: read through them too.
  return Math.max(after, newest);

  function visitColumns(c: SampleColumns, seq: number) {
    for (let i = 0; i < c.ts.length; i++) {
      const ts = c.ts[i]!;
      if (!(ts > fromTs && ts <= toTs)) continue;
      const sloId = c.ids[c.series[i]!]!;
      if (wanted.has(sloId)) visit({ seq, sloId, ts, good: c.good[i]!, total: c.total[i]! });
    }
  }
}
