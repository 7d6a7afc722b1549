import { CliUsageError } from "./errors.js";

export type OutputFormat = "table" | "json";

/** Prints rows as an aligned text table (for people) or JSON (for scripts). */
export function printRows(
  rows: readonly Record<string, unknown>[],
  format: OutputFormat,
  out = process.stdout,
): void {
  if (format === "json") {
    out.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  out.write(formatTable(rows));
}

export function formatTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)\n";
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join("\n") + "\n";
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function parseOutputFormat(value: string): OutputFormat {
  if (value === "table" || value === "json") return value;
  throw new CliUsageError(`--output must be "table" or "json", got "${value}"`);
}
