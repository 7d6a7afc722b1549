/** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

function canonical(s: string): string {
  return s.toLowerCase().replace(/[_\-\s]/g, "");
}

/**
 * The candidate closest to `input`, if close enough to be a likely typo: same letters ignoring
 * case, `_` and `-` (error_query ↔ errorQuery), or an edit distance of at most a third of the length.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = canonical(input);
  const exact = candidates.find((c) => canonical(c) === wanted);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(wanted, canonical(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(wanted.length / 3)) ? best : undefined;
}

/** `did you mean "x"?` or `expected one of: a, b, c`. */
export function suggestion(input: string, candidates: readonly string[]): string {
  const near = closest(input, candidates);
  if (near !== undefined) return `did you mean "${near}"?`;
  return `expected one of: ${candidates.join(", ")}`;
}
