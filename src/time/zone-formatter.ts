const formatters = new Map<string, Intl.DateTimeFormat | null>();

/**
 * A cached 24-hour formatter of every date and time field in an IANA zone, or null when the
 * runtime does not know the zone (each caller raises its own domain's error).
 */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallClockFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the zone's clocks read at an instant (month 1–12). */
export function wallClockFields(formatter: Intl.DateTimeFormat, atMs: number): WallClockFields {
  const out: WallClockFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(atMs)) {
    if (part.type in out) out[part.type as keyof WallClockFields] = Number(part.value);
  }
  return out;
}
