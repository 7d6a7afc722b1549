import { defineError } from "../errors/index.js";

export const SloNotFoundError = defineError(
  "NINES_ERR_SLO_NOT_FOUND",
  404,
  "No applied SLO with this service and name.",
);
export const SamplesRejectedError = defineError(
  "NINES_ERR_SLO_SAMPLES_REJECTED",
  400,
  "A pushed sample batch was refused as a whole; `details` lists each sample's index and reason. Nothing was stored.",
);
export const SeriesRangeInvalidError = defineError(
  "NINES_ERR_SLO_RANGE_INVALID",
  400,
  "A chart query's from/to/step do not describe a range (from before to, at most 11,000 points).",
);
