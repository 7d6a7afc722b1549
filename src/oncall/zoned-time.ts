import { wallClockFields, zoneFormatter } from "../time/zone-formatter.js";
import { TimeZoneInvalidError } from "./errors.js";

/** A wall-clock date and time in some zone, as the people in that zone read it. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday, like `Date#getUTCDay`. */
  readonly weekday: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
function formatter(timeZone: string): Intl.DateTimeFormat {
  const f = zoneFormatter(timeZone);
  if (f === null) throw new TimeZoneInvalidError(`unknown time zone "${timeZone}"`, { timeZone });
  return f;
}

/** Throws NINES_ERR_ONCALL_TIME_ZONE_INVALID unless `timeZone` is an IANA zone the runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** True when `timeZone` is an IANA zone the runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The "civil" milliseconds of an instant in a zone: its wall-clock reading encoded as if it were
 * UTC. Differences of civil values count wall-clock time, which is what handoffs follow.
 */
export function toCivilMs(timeZone: string, epochMs: number): number {
  return epochMs + zoneOffsetMs(timeZone, epochMs);
}

// Since 1970 every zone offset is a multiple of 15 minutes and changes on a quarter hour (UTC), and
// no zone changes its offset twice within one day. So a day whose first and last instants share an
// offset has that offset throughout; only the few days with a change are cached per quarter hour.
const QUARTER_MS = 900_000;
const CACHE_LIMIT = 100_000;
const dayCache = new Map<string, number | null>();
const quarterCache = new Map<string, number>();

function cached(cache: Map<string, number | null>, key: string, compute: () => number | null): number | null {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function offsetUncached(timeZone: string, epochMs: number): number {
  const seconds = Math.floor(epochMs / 1000) * 1000;
  const w = wallClockFields(formatter(timeZone), seconds);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
}

/** The zone's offset from UTC at an instant, in milliseconds (Europe/Berlin in July: +7 200 000). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  if (epochMs < 0) return offsetUncached(timeZone, epochMs);
  const day = Math.floor(epochMs / DAY_MS);
  const whole = cached(dayCache, `${timeZone}|${day}`, () => {
    const first = offsetUncached(timeZone, day * DAY_MS);
    return first === offsetUncached(timeZone, (day + 1) * DAY_MS - 1) ? first : null;
  });
  if (whole !== null) return whole;
  const quarter = Math.floor(epochMs / QUARTER_MS);
  return cached(quarterCache, `${timeZone}|${quarter}`, () => offsetUncached(timeZone, epochMs)) as number;
}

/**
 * The instant at which the zone's clocks read `civilMs`. A reading skipped by a spring-forward
 * change is taken with the offset in force before it (02:30 → 03:30), and a reading that occurs
 * twice after a fall-back change resolves to the earlier instant, as Temporal's "compatible" does.
 */
export function fromCivilMs(timeZone: string, civilMs: number): number {
  const before = zoneOffsetMs(timeZone, civilMs - DAY_MS);
  const after = zoneOffsetMs(timeZone, civilMs + DAY_MS);
  const candidates = [civilMs - before, civilMs - after].filter(
    (t) => zoneOffsetMs(timeZone, t) === civilMs - t,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return civilMs - before;
}

/** The wall-clock reading of an instant in a zone. */
export function toLocal(timeZone: string, epochMs: number): LocalDateTime {
  const d = new Date(toCivilMs(timeZone, epochMs));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Parses "HH:MM" (00:00–24:00) into minutes after midnight, or undefined when malformed. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}

/** Parses "YYYY-MM-DD" into civil milliseconds of that midnight, or undefined when malformed. */
export function parseLocalDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const civil = Date.UTC(year, month - 1, day);
  const d = new Date(civil);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return civil;
}

/** Parses "YYYY-MM-DDTHH:MM" (a wall-clock reading without zone) into civil milliseconds. */
export function parseLocalDateTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(text);
  if (m === null) return undefined;
  const date = parseLocalDate(m[1] ?? "");
  const clock = parseClock(m[2] ?? "");
  if (date === undefined || clock === undefined || clock === 1440) return undefined;
  return date + clock * MINUTE_MS;
}

export const CIVIL_DAY_MS = DAY_MS;
export const CIVIL_MINUTE_MS = MINUTE_MS;
