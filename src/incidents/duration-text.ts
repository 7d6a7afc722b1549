const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/**
 * Formats ms as "1d 2h 3m 4s 5ms", omitting zero parts ("0ms" for zero). Exact, so that
 * {@link parseDurationText} gives the same number back.
 */
export function formatDurationText(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.length === 0 ? "0ms" : parts.join(" ");
}

/** Parses "1h 30m", "90m", "2d 4h" or "1500ms" into ms; undefined when not a duration. */
export function parseDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(?:\d+\s*(?:ms|d|h|m|s)\s*)+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+)\s*(ms|d|h|m|s)/g)) {
    const size = UNITS.find(([u]) => u === m[2])?.[1] ?? 0;
    total += Number(m[1]) * size;
  }
  return total;
}
