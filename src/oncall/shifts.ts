import { TimeRangeInvalidError } from "./errors.js";
import { clipToWindows } from "./intervals.js";
import type { Layer, OnCallAnswer, Schedule, Shift } from "./model.js";
import { insideRestrictions, restrictionWindows } from "./restriction.js";
import { rotationPersonAt, rotationTurns } from "./rotation.js";

/** Longest range `shifts` computes at once (about two years). */
export const MAX_SHIFTS_RANGE_MS = 732 * 86_400_000;

interface Owned {
  readonly start: number;
  readonly end: number;
  readonly personId: string;
}

/** The spans of [from, to) during which a layer has someone on call (its turns inside its restrictions). */
export function layerSpans(layer: Layer, from: number, to: number): Owned[] {
  const turns = rotationTurns(layer.rotation, from, to);
  const windows = restrictionWindows(layer.restrictions, layer.rotation.timeZone, from, to);
  return clipToWindows(turns, windows).map((t) => ({ start: t.start, end: t.end, personId: t.personId }));
}

/**
 * The final timeline of [from, to): overrides over layers, higher layers over lower ones, gaps as
 * `personId: null`. Spans cover the range exactly, without overlap, and adjacent spans of the same
 * person are merged.
 *
 * @example shifts(schedule, Date.parse("2026-03-23T00:00Z"), Date.parse("2026-04-06T00:00Z"))
 */
export function shifts(schedule: Schedule, from: number, to: number): Shift[] {
  if (!(to > from) || to - from > MAX_SHIFTS_RANGE_MS) {
    throw new TimeRangeInvalidError("the range must be non-empty and at most about two years long", {
      from,
      to,
    });
  }
  // Sources from lowest to highest precedence: layers bottom to top, then overrides in order.
  const sources: Owned[][] = schedule.layers.map((layer) => layerSpans(layer, from, to));
  for (const o of schedule.overrides) {
    const start = Math.max(o.start, from);
    const end = Math.min(o.end, to);
    sources.push(end > start ? [{ start, end, personId: o.personId }] : []);
  }
  const cuts = new Set<number>([from, to]);
  for (const spans of sources) {
    for (const s of spans) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const cursors = sources.map(() => 0);
  const out: Shift[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    let personId: string | null = null;
    for (let s = sources.length - 1; s >= 0; s--) {
      const spans = sources[s] as Owned[];
      let c = cursors[s] as number;
      while (c < spans.length && (spans[c] as Owned).end <= start) c++;
      cursors[s] = c;
      const span = spans[c];
      if (span !== undefined && span.start <= start) {
        personId = span.personId;
        break;
      }
    }
    const last = out[out.length - 1];
    if (last !== undefined && last.personId === personId) {
      out[out.length - 1] = { ...last, end };
    } else {
      out.push({ start, end, personId });
    }
  }
  return out;
}

/** Who is on call at `at`, answering from the schedule directly (not via `shifts`). */
export function whoIsOnCall(schedule: Schedule, at: number): OnCallAnswer {
  for (let i = schedule.overrides.length - 1; i >= 0; i--) {
    const o = schedule.overrides[i];
    if (o !== undefined && at >= o.start && at < o.end)
      return { personId: o.personId, layerId: null, override: true };
  }
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i];
    if (layer === undefined) continue;
    const personId = rotationPersonAt(layer.rotation, at);
    if (personId !== null && insideRestrictions(layer.restrictions, layer.rotation.timeZone, at)) {
      return { personId, layerId: layer.id, override: false };
    }
  }
  return { personId: null, layerId: null, override: false };
}

/** Who a single layer has on call at `at` (for escalation steps that name a layer), or null. */
export function whoIsOnCallInLayer(schedule: Schedule, layerId: string, at: number): string | null {
  const layer = schedule.layers.find((l) => l.id === layerId);
  if (layer === undefined) return null;
  const personId = rotationPersonAt(layer.rotation, at);
  return personId !== null && insideRestrictions(layer.restrictions, layer.rotation.timeZone, at)
    ? personId
    : null;
}
