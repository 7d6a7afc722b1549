import { defineError } from "../../errors/index.js";

export const PromqlQueryError = defineError(
  "NINES_ERR_PROMQL_QUERY_FAILED",
  422,
  'A Prometheus-compatible API rejected an SLO\'s PromQL query (`"status": "error"` with errorType bad_data, execution…); the SLO shows "no data" with the message.',
);

export const PromqlUnavailableError = defineError(
  "NINES_ERR_PROMQL_UNAVAILABLE",
  503,
  'The Prometheus-compatible API of an SLO source could not be reached, timed out, or answered 429/5xx after retries; the SLO shows "no data" with the reason.',
);

export const PromqlResponseInvalidError = defineError(
  "NINES_ERR_PROMQL_RESPONSE_INVALID",
  502,
  "An SLO source's URL answered with something that is not the Prometheus HTTP API's JSON (wrong URL, a proxy's page), or with a result type other than vector, matrix or scalar.",
);

export const PromqlCredentialsMissingError = defineError(
  "NINES_ERR_PROMQL_CREDENTIALS_MISSING",
  500,
  "The environment variable an SLO source's `auth` names (tokenEnv, passwordEnv) is not set on the nines server, so no query is sent.",
);

export const SourceRangeInvalidError = defineError(
  "NINES_ERR_SLOSOURCE_RANGE_INVALID",
  400,
  "A range read from an SLI source is empty, not a whole number of steps, or has a step under one second.",
);
