import type { Schedule, Shift } from "./model.js";
import { shifts } from "./shifts.js";

export interface ICalOptions {
  readonly personId: string;
  readonly scheduleId: string;
  readonly scheduleName: string;
  /** DTSTAMP of every event: when the calendar was generated (epoch ms). */
  readonly now: number;
  /** Right-hand side of each UID, e.g. the host nines runs on. */
  readonly uidDomain?: string;
}

const CRLF = "\r\n";
const encoder = new TextEncoder();

/** Formats an instant as an RFC 5545 UTC DATE-TIME ("20260330T070000Z"). */
export function icalDateTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines. */
export function icalEscape(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/**
 * Folds a content line so that no line is longer than 75 octets (RFC 5545 §3.1): continuation
 * lines start with one space, and a multi-byte UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = " ";
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

/**
 * An iCalendar (RFC 5545) feed of one person's shifts: one VEVENT per shift of theirs, in UTC,
 * lines folded at 75 octets and ended by CRLF.
 */
export function shiftsToICal(shifts: readonly Shift[], options: ICalOptions): string {
  const domain = options.uidDomain ?? "nines";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//nines//on-call//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icalEscape(`On call: ${options.scheduleName}`)}`,
  ];
  for (const shift of shifts) {
    if (shift.personId !== options.personId) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${options.scheduleId}-${options.personId}-${icalDateTime(shift.start)}@${domain}`,
      `DTSTAMP:${icalDateTime(options.now)}`,
      `DTSTART:${icalDateTime(shift.start)}`,
      `DTEND:${icalDateTime(shift.end)}`,
      `SUMMARY:${icalEscape(`On call: ${options.scheduleName}`)}`,
      "TRANSP:OPAQUE",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join(CRLF) + CRLF;
}

const LOOKBACK_MS = 62 * 86_400_000;

/**
 * The iCalendar feed of one person's shifts overlapping [from, to). Shifts already under way at
 * `from` keep their real start, so each event's UID stays the same from one export to the next.
 */
export function personICal(
  schedule: Schedule,
  personId: string,
  from: number,
  to: number,
  options: { readonly now: number; readonly uidDomain?: string },
): string {
  const timeline = shifts(schedule, from - LOOKBACK_MS, to).filter((s) => s.end > from);
  return shiftsToICal(timeline, {
    personId,
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    ...options,
  });
}
