import { budgetConsumed, burnRate, nominalWindowMs } from "../slo/budget.js";
import type { SloRuntime } from "../slo/slo-runtime.js";

/** Error budget facts incidents read from the SLO runtime. */
export interface SloBudgetReader {
  /** Ids of every SLO the runtime evaluates, with their service. */
  slos(): Array<{ readonly id: string; readonly service: string }>;
  /**
   * Fraction of the SLO's error budget (for its window) spent in `(from, to]`: per step of the
   * range, the burn rate times the step's share of the window (SRE Workbook ch. 5, b · t /
   * window), summed over the steps that had traffic.
   * `undefined` for an SLO nines does not know.
   */
  consumed(sloId: string, from: number, to: number): number | undefined;
}

const STEP_MS = 5 * 60_000;
const MAX_STEPS = 2016;

/** Reads budget spend from the SLI store of the SLO runtime (every replica has it in memory). */
export function sloBudgetReader(runtime: SloRuntime): SloBudgetReader {
  return {
    slos: () => [...runtime.specs.values()].map((s) => ({ id: s.id, service: s.service })),
    consumed(sloId, from, to) {
      const slo = runtime.specs.get(sloId);
      const series = runtime.sli.get(sloId);
      if (slo === undefined || series === undefined || !(to > from)) return undefined;
      const windowMs = nominalWindowMs(slo.window);
      const step = Math.max(STEP_MS, Math.ceil((to - from) / MAX_STEPS));
      let consumed = 0;
      let at = from;
      // Step by the bounds each sum actually covered (older ranges come from coarser tiers), so
      // that no bucket is counted twice.
      while (at < to) {
        const s = series.sumBounded(at, Math.min(at + step, to));
        if (s.total > 0 && s.toMs > s.fromMs) {
          const errorRatio = Math.min(1, Math.max(0, (s.total - s.good) / s.total));
          consumed += budgetConsumed(burnRate(errorRatio, slo.objective), s.toMs - s.fromMs, windowMs);
        }
        at = Math.max(s.toMs, Math.min(at + step, to));
      }
      return consumed;
    },
  };
}
