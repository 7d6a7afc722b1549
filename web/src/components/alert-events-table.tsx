import type { AlertEventDto } from "../../../src/slo/slo.schemas.js";
import { burn, percent } from "../format.js";
import { When } from "./when.js";

/**
 * SLO alert transitions as a table: when, (SLO,) line, severity, state, burn rates, budget left
 * and why. The SLO column is shown on pages that list several SLOs.
 */
export function AlertEventsTable({
  events,
  showSlo,
  testId,
}: {
  events: AlertEventDto[];
  showSlo: boolean;
  testId: string;
}) {
  return (
    <table class="list" data-testid={testId}>
      <thead>
        <tr>
          <th>When</th>
          {showSlo && <th>SLO</th>}
          <th>Line</th>
          <th>Severity</th>
          <th>State</th>
          <th class="num">Burn (long / short)</th>
          <th class="num">Budget left</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {events.map((a) => (
          <tr>
            <td>
              <When at={a.at} />
            </td>
            {showSlo && (
              <td>
                <a href={`/slos/${a.sloId.split("/").map(encodeURIComponent).join("/")}`}>{a.sloId}</a>
              </td>
            )}
            <td>{a.line}</td>
            <td>{a.severity}</td>
            <td>
              <span class={`line-state ${a.state === "firing" ? "firing" : "ok"}`}>{a.state}</span>
            </td>
            <td class="num">
              {burn(a.burnRates.long)} / {burn(a.burnRates.short)}
            </td>
            <td class="num">{percent(a.budgetRemaining, 1)}</td>
            <td class="small">{a.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
