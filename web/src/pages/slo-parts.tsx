import { percent } from "../format.js";

type State = "ok" | "ticket" | "page" | "no data";

const LABEL: Record<State, string> = { ok: "OK", ticket: "Ticket", page: "Page", "no data": "No data" };
const ICON: Record<State, string> = { ok: "●", ticket: "◆", page: "▲", "no data": "○" };

/** State as colour, shape and text (never colour alone). */
export function StateBadge({ state }: { state: State }) {
  return (
    <span class={`state-badge s-${state.replace(" ", "-")}`}>
      <span aria-hidden="true">{ICON[state]}</span> {LABEL[state]}
    </span>
  );
}

/** Budget remaining as a bar (green above 50%, amber above 0, red when spent) with the number. */
export function BudgetBar({ remaining }: { remaining: number }) {
  const shown = Math.max(0, Math.min(1, remaining));
  const tone = remaining > 0.5 ? "ok" : remaining > 0 ? "warn" : "bad";
  return (
    <div class="budget" title={`${percent(remaining, 2)} of the error budget left`}>
      <div class="budget-track">
        <div class={`budget-fill ${tone}`} style={{ width: `${shown * 100}%` }} />
      </div>
      <span class={`budget-text ${tone}`}>{percent(remaining, 1)}</span>
    </div>
  );
}
