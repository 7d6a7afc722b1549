import type { Schedule, Service, Team } from "./model.js";
import { pagesPerShift } from "./pages-per-shift.js";
import { shifts } from "./shifts.js";

/** A page as the on-call load needs it: when it was opened, and for which service. */
export interface PageTime {
  readonly at: number;
  readonly id: string;
  readonly service: string;
}

/** Which pages belong to a schedule: those of its teams (by id or name), or without a team, of their services. */
export interface PageOwners {
  readonly teams: readonly string[];
  readonly services: readonly string[];
}

/**
 * Read access to page creation times, implemented over the signals store's `pages` table
 * (see `signalsPageTimes`); pure code takes the results as plain data.
 */
export interface PageTimes {
  /** Pages of these owners created in [from, to), oldest first, at most `limit`. */
  pagesFor(owners: PageOwners, from: number, to: number, limit: number): Promise<PageTime[]>;
}

/** The SRE book's guide (ch. 11): at most two incidents per 12-hour on-call shift. */
export const PAGES_PER_12_HOURS = 2;
/** Most pages one page-load answer reads; beyond it the answer says `truncated`. */
export const MAX_PAGE_LOAD_PAGES = 100_000;

const HOUR_MS = 3_600_000;

export interface ShiftPageLoad {
  readonly start: number;
  readonly end: number;
  readonly personId: string | null;
  readonly pages: number;
  /** The guide's ceiling for this shift: two pages per 12 hours, scaled to its length. */
  readonly limit: number;
  readonly overloaded: boolean;
}

export interface PersonPageLoad {
  readonly personId: string;
  readonly shifts: number;
  readonly hours: number;
  readonly pages: number;
  /** Pages per 12 hours on call over the range. */
  readonly pagesPer12Hours: number;
  readonly overloadedShifts: number;
}

export interface PageLoad {
  readonly from: number;
  readonly to: number;
  readonly owners: PageOwners;
  readonly guide: { readonly pagesPer12Hours: number };
  readonly shifts: readonly ShiftPageLoad[];
  readonly people: readonly PersonPageLoad[];
  /** Pages in gaps (nobody on call). */
  readonly unattended: number;
  readonly totalPages: number;
  readonly overloadedShifts: number;
}

/** The teams owning a schedule and the names of the services those teams own. */
export function scheduleOwners(
  scheduleId: string,
  teams: readonly Team[],
  services: readonly Service[],
): PageOwners {
  const owning = teams.filter((t) => t.scheduleIds.includes(scheduleId));
  const ids = new Set(owning.map((t) => t.id));
  return {
    teams: [...new Set(owning.flatMap((t) => [t.id, t.name]))],
    services: services.filter((s) => ids.has(s.teamId)).map((s) => s.name),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Pages per shift of the schedule's final timeline over [from, to) (a page at t belongs to the
 * shift with start <= t < end), per-person totals, and the shifts above the SRE book's guide.
 * Throws NINES_ERR_ONCALL_TIME_RANGE_INVALID for an empty or too long range (as `shifts` does).
 */
export function pageLoad(
  schedule: Schedule,
  owners: PageOwners,
  pages: readonly PageTime[],
  from: number,
  to: number,
): PageLoad {
  const loads = pagesPerShift(shifts(schedule, from, to), pages);
  const rows: ShiftPageLoad[] = loads.map((s) => ({
    start: s.start,
    end: s.end,
    personId: s.personId,
    pages: s.pages,
    limit: round((PAGES_PER_12_HOURS * (s.end - s.start)) / (12 * HOUR_MS)),
    overloaded: s.personId !== null && s.overloaded,
  }));
  const byPerson = new Map<string, { shifts: number; ms: number; pages: number; overloaded: number }>();
  let unattended = 0;
  for (const s of rows) {
    if (s.personId === null) {
      unattended += s.pages;
      continue;
    }
    const p = byPerson.get(s.personId) ?? { shifts: 0, ms: 0, pages: 0, overloaded: 0 };
    p.shifts += 1;
    p.ms += s.end - s.start;
    p.pages += s.pages;
    if (s.overloaded) p.overloaded += 1;
    byPerson.set(s.personId, p);
  }
  const people = [...byPerson.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([personId, p]) => ({
      personId,
      shifts: p.shifts,
      hours: round(p.ms / HOUR_MS),
      pages: p.pages,
      pagesPer12Hours: p.ms === 0 ? 0 : round((p.pages * 12 * HOUR_MS) / p.ms),
      overloadedShifts: p.overloaded,
    }));
  return {
    from,
    to,
    owners,
    guide: { pagesPer12Hours: PAGES_PER_12_HOURS },
    shifts: rows,
    people,
    unattended,
    totalPages: rows.reduce((n, s) => n + s.pages, 0),
    overloadedShifts: rows.filter((s) => s.overloaded).length,
  };
}
