import type { BacktestResult } from "./backtest.js";
import { formatDuration } from "./duration.js";

/** A backtest as text: one line per alert transition, then the summary. */
export function formatBacktest(result: BacktestResult): string {
  const lines: string[] = [];
  const rows = result.events.map((e) => [
    new Date(e.at).toISOString(),
    e.state === "firing" ? "FIRING" : "resolved",
    e.severity,
    e.line,
    `${e.burnRates.long.toFixed(2)} / ${e.burnRates.short.toFixed(2)}`,
    `${(e.budgetRemaining * 100).toFixed(1)}%`,
  ]);
  const header = ["time", "state", "severity", "line", "burn long/short", "budget left"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  if (rows.length === 0) lines.push("no alert transitions");
  else lines.push(row(header), ...rows.map(row));
  const s = result.summary;
  const time = (ms: number | null) => (ms === null ? "-" : new Date(ms).toISOString());
  lines.push(
    "",
    `samples        ${s.samples} from ${time(s.fromMs)} to ${time(s.toMs)} (${s.ticks} ticks)`,
    `pages          ${s.pages}`,
    `tickets        ${s.tickets}`,
    `detection      ${s.detectionDelayMs === null ? "-" : formatDuration(s.detectionDelayMs)} from the first bad sample (${time(s.firstBadSampleMs)}) to the first alert`,
    `budget spent   ${(s.budgetConsumed * 100).toFixed(1)}% of the SLO window's error budget`,
    `time firing    ${
      Object.entries(s.firingMs)
        .map(([line, ms]) => `${line} ${formatDuration(ms)}`)
        .join(", ") || "-"
    }`,
  );
  return lines.join("\n");
}
