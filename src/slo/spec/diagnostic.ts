/** One problem found in a spec file. Lines and columns are 1-based. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. "spec.objective.target" or "slos[0].sli.events.error_query". */
  readonly path: string;
  readonly message: string;
  /** How to fix it, when there is something specific to say. */
  readonly hint?: string;
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** "spec.alerting.lines.page-fast.burnRate", "slos[2].name", `labels["a.b"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `file:line:col path: message (hint)`, with "warning: " before warning messages. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}${d.path === "" ? "" : ` ${d.path}`}`;
  const hint = d.hint === undefined || d.hint === "" ? "" : ` (${d.hint})`;
  return `${where}: ${d.severity === "warning" ? "warning: " : ""}${d.message}${hint}`;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, line, column. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}
