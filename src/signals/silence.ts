import { SilenceInvalidError } from "./errors.js";
import { type Matcher, matches, matchesAll, parseMatcher } from "./matcher.js";
import type { Labels } from "./signal.js";

/** A silence mutes matching signals between startsAt and endsAt (epoch ms), as in Alertmanager. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

export type SilenceState = "pending" | "active" | "expired";

/** The silence's state at `now`. */
export function silenceState(silence: Silence, now: number): SilenceState {
  if (now < silence.startsAt) return "pending";
  return now < silence.endsAt ? "active" : "expired";
}

/** True when the silence is active at `now` and all its matchers match the labels. */
export function isSilenced(silence: Silence, labels: Labels, now: number): boolean {
  return silenceState(silence, now) === "active" && matchesAll(silence.matchers, labels);
}

/** The first active silence muting these labels, if any. */
export function silencedBy(silences: readonly Silence[], labels: Labels, now: number): Silence | undefined {
  return silences.find((s) => isSilenced(s, labels, now));
}

/** Ends a silence at `now` (a pending one ends before it starts). Expired silences stay as they are. */
export function expireSilence(silence: Silence, now: number): Silence {
  if (silenceState(silence, now) === "expired") return silence;
  return { ...silence, startsAt: Math.min(silence.startsAt, now), endsAt: now };
}

export interface SilenceInput {
  readonly id: string;
  readonly matchers: readonly string[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/**
 * Builds a silence from text matchers. Like Alertmanager, it refuses a silence whose matchers all
 * match an absent label, since it would silence every signal.
 */
export function createSilence(input: SilenceInput): Silence {
  const problems: { path: string; message: string }[] = [];
  const parsed: Matcher[] = [];
  input.matchers.forEach((text, i) => {
    try {
      parsed.push(parseMatcher(text));
    } catch (e) {
      problems.push({ path: `matchers[${i}]`, message: (e as Error).message });
    }
  });
  if (input.matchers.length === 0)
    problems.push({ path: "matchers", message: "a silence needs at least one matcher" });
  else if (parsed.length === input.matchers.length && parsed.every((m) => matches(m, {}))) {
    problems.push({
      path: "matchers",
      message: "at least one matcher must not match an empty label, or everything is silenced",
    });
  }
  if (!(input.endsAt > input.startsAt)) problems.push({ path: "endsAt", message: "must be after startsAt" });
  if (input.createdBy.trim() === "") problems.push({ path: "createdBy", message: "must name who silences" });
  if (input.comment.trim() === "") problems.push({ path: "comment", message: "must say why" });
  if (problems.length > 0) {
    throw new SilenceInvalidError(
      `invalid silence: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      problems,
    );
  }
  return { ...input, matchers: parsed };
}
