import type { Document, LineCounter } from "yaml";
import { type Diagnostic, formatPath, type Path } from "./diagnostic.js";
import { locate } from "./source-map.js";

/** One YAML document of one file, parsed, with what is needed to point at its lines. */
export interface SpecDocument {
  readonly file: string;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly value: unknown;
}

/** Records diagnostics against one document. */
export interface Reporter {
  readonly file: string;
  error(path: Path, message: string, hint?: string, atKey?: boolean): void;
  warning(path: Path, message: string, hint?: string, atKey?: boolean): void;
  /** Errors recorded through this reporter so far. */
  errorCount(): number;
}

export function reporterFor(source: SpecDocument, sink: Diagnostic[]): Reporter {
  let errors = 0;
  const add = (
    severity: Diagnostic["severity"],
    path: Path,
    message: string,
    hint?: string,
    atKey?: boolean,
  ) => {
    const { line, column } = locate(source.doc, source.lineCounter, path, atKey);
    sink.push({
      severity,
      file: source.file,
      line,
      column,
      path: formatPath(path),
      message,
      ...(hint === undefined || hint === "" ? {} : { hint }),
    });
  };
  return {
    file: source.file,
    error(path, message, hint, atKey) {
      errors++;
      add("error", path, message, hint, atKey);
    },
    warning(path, message, hint, atKey) {
      add("warning", path, message, hint, atKey);
    },
    errorCount: () => errors,
  };
}
