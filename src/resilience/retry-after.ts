/**
 * Parses an HTTP `Retry-After` value (delta-seconds or an HTTP-date, RFC 9110 §10.2.3) into
 * milliseconds from `nowEpochMs`; undefined when absent or malformed. Past dates give 0.
 * @example parseRetryAfter("120") // 120000
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowEpochMs = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowEpochMs);
}
