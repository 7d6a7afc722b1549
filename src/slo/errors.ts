import { defineError } from "../errors/index.js";

export const SloSpecInvalidError = defineError(
  "NINES_ERR_SLO_SPEC_INVALID",
  400,
  "An SLO or alert policy spec failed validation; `details.diagnostics` lists each problem with file, line, path, message and hint.",
);

export const SloDurationInvalidError = defineError(
  "NINES_ERR_SLO_DURATION_INVALID",
  400,
  'A duration is not of the form `<number><unit>…` with units ms, s, m, h, d, w in decreasing order (e.g. "30d", "1h30m").',
);

export const SloArgumentInvalidError = defineError(
  "NINES_ERR_SLO_ARGUMENT_INVALID",
  400,
  "An error-budget or explain calculation got an argument outside its domain (objective not strictly between 0 and 1, a non-positive window, a negative rate).",
);
