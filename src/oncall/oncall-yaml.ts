import { Document, isDocument, LineCounter, parseDocument } from "yaml";
import type { FieldError } from "../schema/field-errors.js";
import { locate } from "../slo/spec/source-map.js";

/** A field error of a YAML document, with its 1-based line and column when the path exists in the file. */
export interface LocatedError extends FieldError {
  readonly line?: number;
  readonly column?: number;
}

export interface ParsedYaml {
  readonly value: unknown;
  /** YAML syntax errors; empty when the text parsed. */
  readonly errors: LocatedError[];
  /** Adds lines and columns to errors named by field path. */
  locate(errors: readonly FieldError[]): LocatedError[];
}

/** Parses one YAML (or JSON) document, keeping positions to point errors at their lines. */
export function parseOncallYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors: LocatedError[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { path: "", message: e.message.split("\n")[0] ?? e.message, line: pos.line, column: pos.col };
  });
  return {
    value: errors.length === 0 ? doc.toJS() : undefined,
    errors,
    locate: (fieldErrors) =>
      fieldErrors.map((e) => {
        const segments = pathSegments(e.path);
        if (segments === undefined || !isDocument(doc) || !(doc instanceof Document)) return e;
        const pos = locate(doc, lineCounter, segments, e.message === "unknown field");
        return { ...e, line: pos.line, column: pos.column };
      }),
  };
}

/** "schedules[0].layers[1].rotation.timeZone" → ["schedules", 0, "layers", 1, "rotation", "timeZone"]. */
export function pathSegments(path: string): (string | number)[] | undefined {
  if (path === "" || path === "(root)") return [];
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let consumed = 0;
  for (const m of path.matchAll(re)) {
    const between = path.slice(consumed, m.index);
    if (between !== "" && between !== ".") return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
    consumed = (m.index ?? 0) + m[0].length;
  }
  return consumed === path.length ? out : undefined;
}

/** `file:line:col path: message` (or `file: path: message` without a position). */
export function formatLocated(file: string, e: LocatedError): string {
  const where = e.line === undefined ? file : `${file}:${e.line}:${e.column ?? 1}`;
  return `${where}${e.path === "" ? "" : ` ${e.path}`}: ${e.message}`;
}
