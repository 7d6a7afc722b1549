/**
 * Response header (value "1") that tells every upstream layer not to retry: the callee has already
 * retried or is shedding load, so retrying again would multiply load (SRE book ch. 22).
 */
export const NO_RETRY_HEADER = "nines-no-retry";
/** Request header carrying the caller's remaining deadline in whole milliseconds (like gRPC's grpc-timeout). */
export const DEADLINE_HEADER = "nines-deadline-ms";
/** Request header carrying the request's criticality (`critical`, `default`, `sheddable`). */
export const CRITICALITY_HEADER = "nines-criticality";

/** Headers as fetch's `Headers`, Node's `IncomingHttpHeaders` or a plain record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** Reads one header (case-insensitive for records with lower-case keys, as Node gives them). */
export function readHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | number | undefined>>;
  const value = record[name.toLowerCase()] ?? record[name];
  if (value === undefined) return undefined;
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : value[0];
}
