import { defineError } from "../errors/index.js";

export const SilenceNotFoundError = defineError(
  "NINES_ERR_SIGNALS_SILENCE_NOT_FOUND",
  404,
  "No silence with this id.",
);
