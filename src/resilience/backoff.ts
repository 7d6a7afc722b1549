import type { RandomSource } from "./random.js";

/** Jitter kinds from the AWS Architecture Blog's "Exponential Backoff And Jitter" (Brooker, 2015). */
export type Jitter = "none" | "full" | "equal" | "decorrelated";

/** How long to wait between attempts. All times in milliseconds. */
export interface BackoffOptions {
  readonly jitter: Jitter;
  /** First delay (and the floor of decorrelated jitter). */
  readonly baseMs: number;
  /** No delay is ever longer than this. */
  readonly capMs: number;
  /** Growth per attempt of the exponential; decorrelated jitter uses it as its upper factor (the article's 3). */
  readonly multiplier?: number;
}

/** A stateful sequence of delays for one call (decorrelated jitter depends on the previous delay). */
export interface BackoffSequence {
  /** The delay before the next retry, in milliseconds. */
  next(): number;
}

/** Default backoff: full jitter, 100 ms base, 10 s cap, doubling (the article's recommendation). */
export const DEFAULT_BACKOFF: BackoffOptions = { jitter: "full", baseMs: 100, capMs: 10_000, multiplier: 2 };

/**
 * Starts a delay sequence. Formulas, with `exp = min(cap, base * multiplier^n)`:
 * none = exp; full = random(0, exp); equal = exp/2 + random(0, exp/2);
 * decorrelated = min(cap, random(base, previous * 3)) starting from previous = base.
 * @example const s = startBackoff({ jitter: "full", baseMs: 100, capMs: 5000 }, mulberry32(1)); s.next();
 */
export function startBackoff(options: BackoffOptions, random: RandomSource): BackoffSequence {
  const { jitter, baseMs, capMs } = options;
  const multiplier = options.multiplier ?? (jitter === "decorrelated" ? 3 : 2);
  let n = 0;
  let previous = baseMs;
  const exponential = () => Math.min(capMs, baseMs * multiplier ** n++);
  switch (jitter) {
    case "none":
      return { next: exponential };
    case "full":
      return { next: () => random() * exponential() };
    case "equal":
      return {
        next: () => {
          const half = exponential() / 2;
          return half + random() * half;
        },
      };
    case "decorrelated":
      return {
        next: () => {
          const upper = Math.max(baseMs, previous * multiplier);
          previous = Math.min(capMs, baseMs + random() * (upper - baseMs));
          return previous;
        },
      };
  }
}
