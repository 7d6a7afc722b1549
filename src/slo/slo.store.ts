import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/database.js";
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

type Db = Kysely<Database> | Transaction<Database>;

// SQLite binds at most 32,766 parameters per statement; 5 columns × 1,000 rows stays well below.
const INSERT_CHUNK = 1_000;

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
     * Stores samples durably, one row per (SLO, timestamp): a sample equal to the stored one is
     * skipped, a different one replaces it. Returns the rows written and the replaced ones' old values.
     */
    async writeSamples(
      samples: readonly { sloId: string; ts: number; good: number; total: number }[],
      now = Date.now(),
      readings: ReadonlyMap<string, CounterReading> = new Map(),
    ) {
      return db.transaction().execute(async (trx) => {
        for (const [sloId, r] of readings) {
          await trx
            .insertInto("sli_counter_readings")
            .values({ slo_id: sloId, ts: r.ts, good: r.good, total: r.total })
            .onConflict((oc) => oc.column("slo_id").doUpdateSet({ ts: r.ts, good: r.good, total: r.total }))
            .execute();
        }
        const existing = await existingSamples(trx, samples);
        const fresh: (typeof samples)[number][] = [];
        const replaced: { sloId: string; ts: number }[] = [];
        for (const s of samples) {
          const key = `${s.sloId}\u0000${s.ts}`;
          const old = existing.get(key);
          if (old && old.good === s.good && old.total === s.total) continue;
          if (old) replaced.push({ sloId: s.sloId, ts: s.ts });
          existing.set(key, { good: s.good, total: s.total });
          fresh.push(s);
        }
        for (const r of replaced) {
          await trx.deleteFrom("sli_samples").where("slo_id", "=", r.sloId).where("ts", "=", r.ts).execute();
        }
        for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
          await trx
            .insertInto("sli_samples")
            .values(
              fresh
                .slice(i, i + INSERT_CHUNK)
                .map((s) => ({ slo_id: s.sloId, ts: s.ts, good: s.good, total: s.total, received_at: now })),
            )
            .execute();
        }
        return { written: fresh, replaced };
      });
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

    /** Samples written after `seq` (the log other replicas follow), oldest first. */
    async samplesAfter(seq: number, limit = 50_000): Promise<StoredSample[]> {
      const rows = await db
        .selectFrom("sli_samples")
        .selectAll()
        .where("seq", ">", seq)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map((r) => ({ seq: r.seq, sloId: r.slo_id, ts: r.ts, good: r.good, total: r.total }));
    },

    /** One SLO's samples from `fromTs` on, by time (to rebuild its series). */
    async samplesOf(sloId: string, fromTs: number): Promise<StoredSample[]> {
      const rows = await db
        .selectFrom("sli_samples")
        .selectAll()
        .where("slo_id", "=", sloId)
        .where("ts", ">", fromTs)
        .orderBy("ts")
        .execute();
      return rows.map((r) => ({ seq: r.seq, sloId: r.slo_id, ts: r.ts, good: r.good, total: r.total }));
    },

    async maxSampleSeq(): Promise<number> {
      const row = await db
        .selectFrom("sli_samples")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .executeTakeFirst();
      return Number(row?.seq ?? 0);
    },

    async deleteSamplesBefore(ts: number): Promise<number> {
      const result = await db.deleteFrom("sli_samples").where("ts", "<", ts).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async writeAlertEvents(events: readonly AlertEvent[]): Promise<void> {
      if (events.length === 0) return;
      await db
        .insertInto("slo_alert_events")
        .values(
          events.map((e) => ({
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

/** Stored samples at the batch's (SLO, timestamp) pairs, read in one query per 500 SLOs. */
async function existingSamples(trx: Db, samples: readonly { sloId: string; ts: number }[]) {
  const existing = new Map<string, { good: number; total: number }>();
  if (samples.length === 0) return existing;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    min = Math.min(min, s.ts);
    max = Math.max(max, s.ts);
  }
  const ids = [...new Set(samples.map((s) => s.sloId))];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom("sli_samples")
      .select(["slo_id", "ts", "good", "total"])
      .where("slo_id", "in", ids.slice(i, i + 500))
      .where("ts", ">=", min)
      .where("ts", "<=", max)
      .execute();
    for (const r of rows) existing.set(`${r.slo_id}\u0000${r.ts}`, { good: r.good, total: r.total });
  }
  return existing;
}
