import { SloSpecInvalidError } from "../errors.js";
import type { Slo } from "../model.js";
import { formatDiagnostic, hasErrors } from "./diagnostic.js";
import { type ParseOptions, type ParseResult, parseSpecFiles, type SpecFile } from "./parse-spec-files.js";

/**
 * {@link parseSpecFiles} for callers that want an exception (API routes, `nines apply`): throws
 * `NINES_ERR_SLO_SPEC_INVALID` with `details.diagnostics` when any diagnostic is an error.
 */
export function parseSpecFilesOrThrow(
  files: readonly SpecFile[],
  options: ParseOptions = {},
): ParseResult & { readonly slos: readonly Slo[] } {
  const result = parseSpecFiles(files, options);
  if (hasErrors(result.diagnostics)) {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new SloSpecInvalidError(
      `${first === undefined ? "invalid spec" : formatDiagnostic(first)}${more}`,
      {
        diagnostics: result.diagnostics,
      },
    );
  }
  return result;
}
