import { SloDurationInvalidError } from "./errors.js";

const UNITS = [
  ["w", 604_800_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
  ["ms", 1],
] as const;

const UNIT_MS: Readonly<Record<string, number>> = Object.fromEntries(UNITS);
const UNIT_ORDER: readonly string[] = UNITS.map(([unit]) => unit);

/** Regular expression source for a duration string; used by the JSON Schema so editors check it too. */
export const DURATION_PATTERN = "^([0-9]+(ms|s|m|h|d|w))+$";

/** Milliseconds in one unit, for callers that build durations in code (`7 * MS.d`). */
export const MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Parses a Prometheus-style duration ("30d", "5m", "1h30m", "250ms") into milliseconds, or
 * returns undefined. Units (w, d, h, m, s, ms) must appear in decreasing order, each at most once;
 * no fractions ("1.5h" → write "1h30m"). Months and years are not durations: use a calendar window.
 *
 * @example tryParseDuration("1h30m") // 5_400_000
 */
export function tryParseDuration(text: string): number | undefined {
  if (typeof text !== "string" || !new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let total = 0;
  let lastRank = -1;
  for (const match of text.matchAll(/([0-9]+)(ms|s|m|h|d|w)/g)) {
    const unit = match[2] ?? "";
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastRank) return undefined;
    lastRank = rank;
    total += Number(match[1]) * (UNIT_MS[unit] ?? Number.NaN);
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/**
 * Like {@link tryParseDuration} but throws `NINES_ERR_SLO_DURATION_INVALID` with a hint.
 *
 * @example parseDuration("30d") // 2_592_000_000
 */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new SloDurationInvalidError(describeDurationProblem(text), { text });
  return ms;
}

/** A one-sentence explanation of why `text` is not a duration, with the fix. */
export function describeDurationProblem(text: unknown): string {
  if (typeof text === "number")
    return `${text} is a number, not a duration: add a unit, e.g. "${text}s" or "${text}m"`;
  if (typeof text !== "string") return 'a duration must be a string such as "30d" or "5m"';
  if (/^[0-9]+(\.[0-9]+)(ms|s|m|h|d|w)$/.test(text))
    return `"${text}" has a fraction: combine units instead, e.g. "1h30m" for 1.5h`;
  if (/^[0-9]+(M|mo|y|Y|Q)$/.test(text))
    return `"${text}" is not a fixed length: use a calendar window (month, quarter) or days, e.g. "30d"`;
  if (/^[0-9]+$/.test(text)) return `"${text}" has no unit: write e.g. "${text}s", "${text}m" or "${text}d"`;
  if (new RegExp(DURATION_PATTERN).test(text))
    return `"${text}" repeats a unit or lists units out of order: write them largest first, e.g. "1d6h"`;
  return `"${text}" is not a duration: use a number and a unit (ms, s, m, h, d, w), e.g. "30d", "5m" or "1h30m"`;
}

/**
 * Formats milliseconds as the shortest duration string that {@link tryParseDuration} reads back
 * to the same value ("1h30m", "28d", "250ms"; 0 → "0s").
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let out = "";
  for (const [unit, size] of UNITS) {
    // Weeks only when exact: "14d" reads better than "2w" next to 28d/30d windows.
    if (unit === "w") continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Formats milliseconds for people: "51.84s", "4m19s", "2h", "1d12h". Not meant to be parsed back. */
export function formatDurationHuman(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? "never" : String(ms);
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`;
  return formatDuration(Math.round(ms / 1000) * 1000);
}
