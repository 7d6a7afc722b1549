import { CRITICALITY_HEADER, type HeaderSource, readHeader } from "./headers.js";

/**
 * Request criticality, after Google's CRITICAL / SHEDDABLE (SRE book ch. 21, "Criticality"):
 * under overload `sheddable` requests go first and `critical` ones last.
 */
export type Criticality = "critical" | "default" | "sheddable";

/** Higher rank = shed later. */
export const CRITICALITY_RANK: Readonly<Record<Criticality, number>> = {
  sheddable: 0,
  default: 1,
  critical: 2,
};

/** Reads the criticality header; unknown or missing values are `default`. */
export function criticalityFromHeaders(headers: HeaderSource | undefined): Criticality {
  const value = readHeader(headers, CRITICALITY_HEADER)?.trim().toLowerCase();
  return value === "critical" || value === "sheddable" ? value : "default";
}
