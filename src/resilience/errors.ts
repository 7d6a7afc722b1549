import { defineError } from "../errors/index.js";

/** A retry was needed but the backend's retry budget is spent (SRE book ch. 22, "Limit retries per server"). */
export const BudgetExhaustedError = defineError(
  "NINES_ERR_RESILIENCE_BUDGET_EXHAUSTED",
  503,
  "A call failed and the retry budget for its backend is spent, so the failure was returned at once instead of retried.",
);
/** The circuit breaker is open (or its half-open probe slot is taken). */
export const CircuitOpenError = defineError(
  "NINES_ERR_RESILIENCE_CIRCUIT_OPEN",
  503,
  "The circuit breaker for the backend is open after repeated failures; calls fail fast until a half-open probe succeeds.",
);
/** The call's deadline passed (or was already spent when the request arrived). */
export const DeadlineExceededError = defineError(
  "NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED",
  504,
  "The call's deadline passed before it completed; no further attempts or waits were made past it.",
);
/** One attempt ran longer than its per-attempt timeout. */
export const AttemptTimeoutError = defineError(
  "NINES_ERR_RESILIENCE_TIMEOUT",
  504,
  "A single attempt ran longer than the per-attempt timeout and was aborted.",
);
/** The server rejected the request early because it is overloaded. */
export const LoadShedError = defineError(
  "NINES_ERR_RESILIENCE_SHED",
  503,
  "The server is overloaded and rejected the request early (in-flight or queue-time limit); retry after `Retry-After`, and only at one layer.",
);
