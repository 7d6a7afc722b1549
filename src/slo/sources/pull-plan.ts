import type { StepRange } from "./source.js";

export interface PullPlanInput {
  /** Timestamp of the newest sample already stored, or null when the SLO has none. */
  readonly cursorMs: number | null;
  /** Oldest timestamp worth fetching (the SLO window's start, capped at the retention). */
  readonly windowStartMs: number;
  /** The newest step end to fetch (on the live grid). */
  readonly endMs: number;
  /** The live step: `{{window}}` of each tick's query, and the grid of the recent part. */
  readonly stepMs: number;
  /** How far back from `endMs` the live step is kept (default 6 h); older steps are coarser. */
  readonly fineSpanMs?: number;
}

export interface PullPlan {
  /** `backfill` when nothing was stored yet, else `catch-up` (several steps) or `live` (one). */
  readonly kind: "backfill" | "catch-up" | "live";
  readonly fromMs: number;
  readonly toMs: number;
  /** Consecutive ranges, oldest first, covering `(fromMs, toMs]` (less a sliver under 1 s). */
  readonly ranges: readonly StepRange[];
  readonly steps: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * What to fetch to bring an SLO from its newest stored sample (or nothing) up to `endMs`:
 * the last `fineSpanMs` at the live step (at least a minute for a back-fill, whose history may
 * have been scraped less often); older parts at one minute, or five minutes when the
 * gap is longer than 8 days (a 30-day back-fill is then 8,640 + 360 points per query instead of
 * 43,200); and an off-grid remainder at the oldest end as one step of its own, so that a
 * catch-up starts exactly at the cursor and no event is counted twice.
 */
export function planPull(input: PullPlanInput): PullPlan | null {
  const { endMs, stepMs } = input;
  const fromMs =
    input.cursorMs === null ? input.windowStartMs : Math.max(input.cursorMs, input.windowStartMs);
  if (!(fromMs < endMs)) return null;
  const gap = endMs - fromMs;
  const fineSpan = input.fineSpanMs ?? 6 * 3_600_000;
  const ranges: StepRange[] = [];
  // History may have been scraped less often than the live step assumes: back-fill by the minute at least.
  const fine = input.cursorMs === null ? Math.ceil(MINUTE / stepMs) * stepMs : stepMs;
  const fineSteps = Math.floor(Math.min(gap, Math.max(fineSpan, fine)) / fine);
  let left = endMs - fineSteps * fine;
  if (fineSteps > 0) ranges.unshift({ fromMs: left, toMs: endMs, stepMs: fine });
  const older = left - fromMs;
  if (older > 0) {
    const base = gap > 8 * DAY ? 5 * MINUTE : MINUTE;
    const coarse = Math.max(fine, Math.ceil(base / stepMs) * stepMs);
    const coarseSteps = Math.floor(older / coarse);
    if (coarseSteps > 0) {
      ranges.unshift({ fromMs: left - coarseSteps * coarse, toMs: left, stepMs: coarse });
      left -= coarseSteps * coarse;
    }
    const rest = left - fromMs;
    if (rest >= 1_000) ranges.unshift({ fromMs, toMs: left, stepMs: rest });
  }
  if (ranges.length === 0) return null;
  const steps = ranges.reduce((n, r) => n + (r.toMs - r.fromMs) / r.stepMs, 0);
  const kind = input.cursorMs === null ? "backfill" : steps === 1 ? "live" : "catch-up";
  return { kind, fromMs: ranges[0]!.fromMs, toMs: endMs, ranges, steps };
}
