import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { SliCsvInvalidError } from "./evaluator-errors.js";

/**
 * Backtest CSV format (one SLI series per file, streamed line by line):
 *
 * - Empty lines and lines starting with `#` are skipped. The first other line is the header.
 * - Column `timestamp`: RFC 3339 (`2024-03-01T12:00:00Z`), or a number: unix seconds when below
 *   1e11 (fractions allowed), unix milliseconds otherwise. Timestamps must not go backwards.
 * - Ratio SLIs: columns `good,total` or `bad,total` (any order, after `timestamp`).
 * - Latency SLIs: histogram columns `le=0.1,le=0.25,...,le=+Inf` with cumulative bucket counts
 *   (Prometheus style); good = the `le` column equal to the threshold, total = `le=+Inf`.
 * - Values are per-interval counts (events in the interval ending at the timestamp), or, with
 *   `cumulative`, counter readings (a decrease is a counter reset, handled by the store).
 *
 * Example: `timestamp,good,total\n2024-03-01T00:00:10Z,998,1000\n`.
 */
export interface SliCsvOptions {
  /** Required for histogram (`le=`) columns: the latency threshold in seconds. */
  readonly thresholdSeconds?: number;
}

/** One parsed row: unix ms and good/total counts (or counter readings). */
export interface CsvSample {
  readonly ts: number;
  readonly good: number;
  readonly total: number;
}

interface Columns {
  readonly ts: number;
  readonly good: number;
  readonly bad: number;
  readonly total: number;
  readonly count: number;
}

/** Parses CSV lines into samples as they arrive; throws NINES_ERR_SLO_CSV_INVALID with the line number. */
export async function* parseSliCsv(
  lines: AsyncIterable<string> | Iterable<string>,
  options: SliCsvOptions = {},
): AsyncGenerator<CsvSample> {
  let columns: Columns | null = null;
  let lineNo = 0;
  let lastTs = -Infinity;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const cells = line.split(",").map((c) => c.trim());
    if (!columns) {
      columns = header(cells, options, lineNo);
      continue;
    }
    if (cells.length !== columns.count)
      fail(lineNo, `expected ${columns.count} columns, got ${cells.length}`);
    const ts = parseTimestamp(cells[columns.ts]!, lineNo);
    if (ts < lastTs) fail(lineNo, `timestamp ${cells[columns.ts]} goes backwards`);
    lastTs = ts;
    const total = count(cells[columns.total]!, lineNo);
    const good =
      columns.good >= 0 ? count(cells[columns.good]!, lineNo) : total - count(cells[columns.bad]!, lineNo);
    if (good < 0 || good > total) fail(lineNo, `good ${good} is outside 0..total ${total}`);
    yield { ts, good, total };
  }
  if (!columns) fail(lineNo, "no header row");
}

/** Lines of a file, streamed. */
export function csvFileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
}

function header(cells: string[], options: SliCsvOptions, lineNo: number): Columns {
  const names = cells.map((c) => c.toLowerCase());
  const ts = names.indexOf("timestamp");
  if (ts < 0) fail(lineNo, "header has no timestamp column");
  const les = names.filter((n) => n.startsWith("le="));
  if (les.length > 0) {
    const threshold = options.thresholdSeconds;
    if (threshold === undefined) fail(lineNo, "histogram columns need a latency threshold");
    const good = names.findIndex((n) => n.startsWith("le=") && Number(n.slice(3)) === threshold);
    const total = names.indexOf("le=+inf");
    if (good < 0) fail(lineNo, `no le=${threshold} column for the threshold`);
    if (total < 0) fail(lineNo, "histogram columns need le=+Inf");
    return { ts, good, bad: -1, total, count: cells.length };
  }
  const total = names.indexOf("total");
  const good = names.indexOf("good");
  const bad = names.indexOf("bad");
  if (total < 0 || good < 0 === bad < 0) fail(lineNo, "header needs timestamp, total and one of good or bad");
  return { ts, good, bad, total, count: cells.length };
}

function parseTimestamp(cell: string, lineNo: number): number {
  if (/^-?\d+(\.\d+)?$/.test(cell)) {
    const n = Number(cell);
    return Math.round(Math.abs(n) < 1e11 ? n * 1000 : n);
  }
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/.test(cell)) {
    fail(lineNo, `timestamp ${cell} is neither RFC 3339 nor unix seconds/milliseconds`);
  }
  const ms = Date.parse(cell.replace(" ", "T"));
  if (Number.isNaN(ms)) fail(lineNo, `timestamp ${cell} is not a valid date`);
  return ms;
}

function count(cell: string, lineNo: number): number {
  const n = Number(cell);
  if (cell === "" || !Number.isFinite(n) || n < 0) fail(lineNo, `count ${cell} is not a non-negative number`);
  return n;
}

function fail(line: number, message: string): never {
  throw new SliCsvInvalidError(`line ${line}: ${message}`, { line });
}
