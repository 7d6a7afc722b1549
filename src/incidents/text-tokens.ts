const STOPWORDS = new Set(
  "a an and are as at be been but by for from had has have in into is it its of on or that the their then there these this to was were which while with".split(
    " ",
  ),
);

/** Light stemming so "timeouts"/"timeout" and "retried"/"retries" meet; deliberately crude. */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ied")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 4 && /(?:sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Lowercase word tokens without stopwords, lightly stemmed. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOPWORDS.has(w)).map(stem);
}

/**
 * Normalizes a cause tag into a comparison key (lowercase, stemmed words joined by "-"), so that
 * "Bad Config Push", "bad_config_push" and "bad-config-pushes" compare equal.
 */
export function normalizeCauseTag(tag: string): string {
  return tokenize(tag.replace(/[_-]+/g, " ")).join("-");
}

/** Jaccard similarity of the token sets of two texts, in [0, 1]. */
export function textSimilarity(a: string, b: string): number {
  const x = new Set(tokenize(a));
  const y = new Set(tokenize(b));
  if (x.size === 0 && y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}
