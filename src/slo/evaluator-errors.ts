import { defineError } from "../errors/index.js";

/** An SLO's policy has more enabled alert lines than the evaluator tracks. */
export const TooManyLinesError = defineError(
  "NINES_ERR_SLO_EVAL_TOO_MANY_LINES",
  400,
  "An SLO's alert policy has more than 15 enabled lines; the evaluator keeps each SLO's line states in one bitmask.",
);
/** An SLO id is not registered with the evaluator. */
export const SloNotRegisteredError = defineError(
  "NINES_ERR_SLO_EVAL_UNKNOWN",
  404,
  "The evaluator holds no SLO with this id; register it before asking for its status.",
);
/** A backtest CSV line cannot be read. */
export const SliCsvInvalidError = defineError(
  "NINES_ERR_SLO_CSV_INVALID",
  400,
  "A backtest CSV has a bad header, a wrong column count, an unreadable timestamp or count, or timestamps that go backwards; `details` has the line number.",
);
