/** 0.99912 → "99.912%"; null → "no data". */
export function percent(value: number | null, digits = 3): string {
  if (value === null) return "no data";
  return `${(value * 100).toFixed(digits).replace(/\.?0+$/, "")}%`;
}

export function burn(value: number): string {
  return value >= 100 ? `${Math.round(value)}×` : `${value.toFixed(2)}×`;
}

/** 3_600_000 → "1h", 300_000 → "5m". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "never";
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join("") || `${ms}ms`;
}

/** "5 min ago" in lists, with the absolute time on hover. */
export function relative(at: number, now = Date.now()): string {
  const diff = now - at;
  if (diff < 60_000) return "just now";
  return `${duration(diff)} ago`;
}
