import { randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database } from "../db/database.js";
import { fromCivilMs, isTimeZone, parseLocalDateTime } from "../oncall/index.js";
import { MaintenanceWindowInvalidError, MaintenanceWindowNotFoundError } from "./maintenance.errors.js";
import type { MaintenanceWindowsTable } from "./maintenance.tables.js";
import { inMaintenance, type MaintenanceWindow } from "./maintenance-window.js";
import { OUTCOMES, type Outcome } from "./signal.js";

const WEEK_MS = 7 * 86_400_000;

export interface NewMaintenanceWindow {
  readonly service: string;
  /** Local wall-clock "YYYY-MM-DDTHH:MM" in `timeZone`. */
  readonly start: string;
  readonly end: string;
  /** IANA zone; UTC when not given. */
  readonly timeZone?: string;
  readonly recurrence?: "none" | "weekly";
  /** Outcomes held back; all of them when not given. */
  readonly outcomes?: readonly Outcome[];
  readonly reason: string;
}

export type MaintenanceState = "upcoming" | "active" | "past";

export interface StoredMaintenanceWindow extends MaintenanceWindow {
  readonly reason: string;
  /** The first occurrence as instants. */
  readonly startAt: number;
  readonly endAt: number;
  readonly createdBy: string;
  readonly createdAt: number;
}

function toWindow(row: Selectable<MaintenanceWindowsTable>): StoredMaintenanceWindow {
  return {
    id: row.id,
    service: row.service,
    timeZone: row.time_zone,
    start: row.start_local,
    end: row.end_local,
    recurrence: row.recurrence as "none" | "weekly",
    outcomes: JSON.parse(row.outcomes) as Outcome[],
    comment: row.reason,
    reason: row.reason,
    startAt: Number(row.start_at),
    endAt: Number(row.end_at),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

/** A window's state at `now`: inside it (or one of its weekly repeats), not yet, or over for good. */
export function maintenanceState(window: StoredMaintenanceWindow, now: number): MaintenanceState {
  if (inMaintenance(window, now)) return "active";
  return window.recurrence === "none" && window.endAt <= now ? "past" : "upcoming";
}

/** Checks a new window, returning its first occurrence as instants or every problem by field. */
function validate(input: NewMaintenanceWindow): { startAt: number; endAt: number } {
  const problems: { path: string; message: string }[] = [];
  const zone = input.timeZone ?? "UTC";
  if (input.service.trim() === "") problems.push({ path: "service", message: "must name a service" });
  if (!isTimeZone(zone)) problems.push({ path: "timeZone", message: `"${zone}" is not an IANA time zone` });
  const start = parseLocalDateTime(input.start);
  const end = parseLocalDateTime(input.end);
  if (start === undefined) problems.push({ path: "start", message: "must be a local time YYYY-MM-DDTHH:MM" });
  if (end === undefined) problems.push({ path: "end", message: "must be a local time YYYY-MM-DDTHH:MM" });
  if (start !== undefined && end !== undefined) {
    if (end <= start) problems.push({ path: "end", message: "must be after start" });
    else if (input.recurrence === "weekly" && end - start > WEEK_MS)
      problems.push({ path: "end", message: "a weekly window lasts at most a week" });
  }
  if (input.outcomes !== undefined && input.outcomes.length === 0)
    problems.push({ path: "outcomes", message: "must hold back at least one outcome" });
  if (input.reason.trim() === "") problems.push({ path: "reason", message: "must say why" });
  if (problems.length > 0 || start === undefined || end === undefined) {
    throw new MaintenanceWindowInvalidError(
      `invalid maintenance window: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      problems,
    );
  }
  return { startAt: fromCivilMs(zone, start), endAt: fromCivilMs(zone, end) };
}

/** Planned maintenance per service: while a window is on, the service's signals are held back. */
export function maintenanceStore(db: Kysely<Database>) {
  return {
    /** Windows in force at `now` (including weekly repeats). */
    async active(now: number): Promise<MaintenanceWindow[]> {
      const rows = await db
        .selectFrom("maintenance_windows")
        .selectAll()
        .where("start_at", "<=", now)
        .where((eb) => eb.or([eb("recurrence", "=", "weekly"), eb("end_at", ">", now)]))
        .orderBy("start_at")
        .execute();
      return rows.map(toWindow).filter((w) => inMaintenance(w, now));
    },

    /** Validates (`NINES_ERR_SIGNALS_MAINTENANCE_INVALID` naming each field) and stores a window by `author`. */
    async create(
      input: NewMaintenanceWindow,
      author: string,
      now = Date.now(),
    ): Promise<StoredMaintenanceWindow> {
      const { startAt, endAt } = validate(input);
      const row: Selectable<MaintenanceWindowsTable> = {
        id: `mw-${randomBytes(6).toString("hex")}`,
        service: input.service,
        time_zone: input.timeZone ?? "UTC",
        start_local: input.start,
        end_local: input.end,
        start_at: startAt,
        end_at: endAt,
        recurrence: input.recurrence ?? "none",
        outcomes: JSON.stringify(
          input.outcomes ? OUTCOMES.filter((o) => input.outcomes?.includes(o)) : OUTCOMES,
        ),
        reason: input.reason,
        created_by: author,
        created_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("maintenance_windows").values(row).execute();
        await trx
          .insertInto("audit_log")
          .values({
            at: now,
            actor: author,
            action: "maintenance.create",
            subject: row.id,
            details: JSON.stringify({ service: row.service, start: row.start_local, end: row.end_local }),
          })
          .execute();
      });
      return toWindow(row);
    },

    /** Windows by start, newest first; optionally of one service or in one state at `now`. */
    async list(
      filter: { service?: string; state?: MaintenanceState } = {},
      now = Date.now(),
    ): Promise<StoredMaintenanceWindow[]> {
      let query = db.selectFrom("maintenance_windows").selectAll();
      if (filter.service !== undefined) query = query.where("service", "=", filter.service);
      const rows = await query.orderBy("start_at", "desc").orderBy("id").limit(1000).execute();
      const windows = rows.map(toWindow);
      return filter.state ? windows.filter((w) => maintenanceState(w, now) === filter.state) : windows;
    },

    async get(id: string): Promise<StoredMaintenanceWindow | undefined> {
      const row = await db
        .selectFrom("maintenance_windows")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toWindow(row) : undefined;
    },

    /** Removes a window (audited). */
    async delete(id: string, author: string, now = Date.now()): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom("maintenance_windows").where("id", "=", id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0)
          throw new MaintenanceWindowNotFoundError(`no maintenance window ${id}`, { id });
        await trx
          .insertInto("audit_log")
          .values({ at: now, actor: author, action: "maintenance.delete", subject: id, details: "{}" })
          .execute();
      });
    },
  };
}

export type MaintenanceStore = ReturnType<typeof maintenanceStore>;
