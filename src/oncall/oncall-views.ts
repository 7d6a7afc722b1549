import { ValidationError } from "../errors/index.js";
import type { Person, Schedule, Team } from "./model.js";
import type { OnCallEntry, ShiftsView } from "./oncall.schemas.js";
import { layerSpans, shifts, whoIsOnCall } from "./shifts.js";
import { nextOnCall } from "./take-over.js";

const DAY_MS = 86_400_000;
const LOOKBACK_MS = 31 * DAY_MS;
const LOOKAHEAD_MS = 62 * DAY_MS;

/**
 * Reads an instant given as epoch milliseconds or ISO 8601; throws NINES_ERR_REQUEST_INVALID
 * naming `path` otherwise.
 */
export function parseInstant(value: string | number, path: string): number {
  const ms =
    typeof value === "number"
      ? value
      : /^-?\d+$/.test(value.trim())
        ? Number(value)
        : /^\d{4}-\d{2}-\d{2}/.test(value)
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationError(`invalid request: ${path} is not an instant (epoch ms or ISO 8601)`, [
      { path, message: "must be epoch milliseconds or an ISO 8601 date-time" },
    ]);
  }
  return ms;
}

/** The zone a schedule is shown in: that of its first layer's rotation (UTC without layers). */
export function scheduleTimeZone(schedule: Schedule): string {
  return schedule.layers[0]?.rotation.timeZone ?? "UTC";
}

const personRef = (p: Person) => ({
  id: p.id,
  name: p.name,
  contacts: [...p.contacts],
  ...(p.timeZone === undefined ? {} : { timeZone: p.timeZone }),
});

/** Who is on call at `at` in one schedule, with the deciding layer, the shift's bounds and who is next. */
export function onCallEntry(
  team: Team | null,
  schedule: Schedule,
  people: ReadonlyMap<string, Person>,
  at: number,
): OnCallEntry {
  const answer = whoIsOnCall(schedule, at);
  const timeline = shifts(schedule, at - LOOKBACK_MS, at + LOOKAHEAD_MS);
  const current = timeline.find((s) => s.start <= at && at < s.end);
  const next = nextOnCall(schedule, at);
  const layer = schedule.layers.find((l) => l.id === answer.layerId);
  const person = answer.personId === null ? undefined : people.get(answer.personId);
  return {
    team: team === null ? null : { id: team.id, name: team.name },
    schedule: { id: schedule.id, name: schedule.name, timeZone: scheduleTimeZone(schedule) },
    personId: answer.personId,
    person: person === undefined ? null : personRef(person),
    layer: layer === undefined ? null : { id: layer.id, name: layer.name },
    override: answer.override,
    since: current?.start ?? at,
    until: current?.end ?? at,
    next:
      next === null || next.personId === null
        ? null
        : {
            personId: next.personId,
            name: people.get(next.personId)?.name ?? next.personId,
            start: next.start,
          },
  };
}

/** Every layer's spans, the overrides and the final timeline of [from, to), for the calendar. */
export function shiftsView(
  schedule: Schedule,
  people: ReadonlyMap<string, Person>,
  from: number,
  to: number,
): ShiftsView {
  const timeline = shifts(schedule, from, to);
  const layers = schedule.layers.map((layer) => ({
    id: layer.id,
    name: layer.name,
    timeZone: layer.rotation.timeZone,
    spans: layerSpans(layer, from, to),
  }));
  const overrides = schedule.overrides
    .filter((o) => o.end > from && o.start < to)
    .map((o) => ({
      id: o.id ?? `${o.personId}-${o.start}`,
      personId: o.personId,
      start: o.start,
      end: o.end,
      ...(o.reason === undefined ? {} : { reason: o.reason }),
    }));
  const ids = new Set<string>();
  for (const l of layers) for (const s of l.spans) ids.add(s.personId);
  for (const o of overrides) ids.add(o.personId);
  return {
    schedule: { id: schedule.id, name: schedule.name, timeZone: scheduleTimeZone(schedule) },
    from,
    to,
    layers,
    overrides,
    shifts: timeline.map((s) => {
      const decided = whoIsOnCall(schedule, s.start);
      return { ...s, layerId: decided.layerId, override: decided.override };
    }),
    people: [...ids].sort().map((id) => ({ id, name: people.get(id)?.name ?? id })),
  };
}

/** One iCalendar of several: the VEVENTs of every calendar under the first one's header. */
export function mergeCalendars(calendars: readonly string[], name: string): string {
  const CRLF = "\r\n";
  const events: string[] = [];
  for (const cal of calendars) {
    let inside = false;
    for (const line of cal.split(CRLF)) {
      if (line === "BEGIN:VEVENT") inside = true;
      if (inside) events.push(line);
      if (line === "END:VEVENT") inside = false;
    }
  }
  const header = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//nines//on-call//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${name.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")}`,
  ];
  return [...header, ...events, "END:VCALENDAR"].join(CRLF) + CRLF;
}
