import { RulesUnsupportedError } from "./errors.js";

const UNITS: readonly (readonly [string, number])[] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
  ["ms", 1],
];

/**
 * Formats milliseconds as a Prometheus duration (`300000` → `"5m"`, `5400000` → `"1h30m"`).
 * Days are the largest unit so that `30d` stays `30d` (Prometheus' `w`/`y` are not used).
 */
export function formatPromDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0)
    throw new RulesUnsupportedError(`duration ${ms} ms is not a whole number of ms`);
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const PART = /(\d+)(ms|y|w|d|h|m|s)/g;
const SIZES: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/** Parses a Prometheus duration (`"1h30m"`) into milliseconds; `undefined` when it is not one. */
export function parsePromDuration(text: string): number | undefined {
  if (!/^(\d+(ms|y|w|d|h|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART)) total += Number(match[1]) * (SIZES[match[2] ?? ""] ?? 0);
  return total;
}
