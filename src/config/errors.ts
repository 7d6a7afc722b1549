import { defineError } from "../errors/index.js";

export const ConfigInvalidError = defineError(
  "NINES_ERR_CONFIG_INVALID",
  400,
  "nines.yaml or a NINES_* environment variable has a wrong value; `details` lists file, line and field.",
);
