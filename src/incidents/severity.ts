import { IncidentConfigInvalidError } from "./errors.js";

/** Incident severity, SEV1 the most serious. */
export type SeverityLevel = "SEV1" | "SEV2" | "SEV3" | "SEV4";

export const SEVERITY_LEVELS: readonly SeverityLevel[] = ["SEV1", "SEV2", "SEV3", "SEV4"];

/** What each severity means for an organization; shown when declaring an incident. */
export type SeverityMeanings = Readonly<Record<SeverityLevel, string>>;

export const DEFAULT_SEVERITY_MEANINGS: SeverityMeanings = {
  SEV1: "Critical: a core user journey is down or data is lost for many users.",
  SEV2: "Major: a core user journey is badly degraded, or a minor one is down.",
  SEV3: "Minor: limited user-visible impact or a workaround exists.",
  SEV4: "Low: no user-visible impact yet; the error budget is burning faster than planned.",
};

/**
 * Merges configured meanings over the defaults; every meaning must be non-empty text.
 * @example severityMeanings({ SEV1: "Checkout down" }).SEV1 // "Checkout down"
 */
export function severityMeanings(overrides: Partial<Record<SeverityLevel, string>> = {}): SeverityMeanings {
  const merged = { ...DEFAULT_SEVERITY_MEANINGS, ...overrides };
  for (const level of SEVERITY_LEVELS) {
    if (typeof merged[level] !== "string" || merged[level].trim() === "") {
      throw new IncidentConfigInvalidError(`severity ${level} needs a non-empty meaning`, { field: level });
    }
  }
  return merged;
}

/** Negative when `a` is more severe than `b` (SEV1 sorts first). */
export function compareSeverity(a: SeverityLevel, b: SeverityLevel): number {
  return SEVERITY_LEVELS.indexOf(a) - SEVERITY_LEVELS.indexOf(b);
}
