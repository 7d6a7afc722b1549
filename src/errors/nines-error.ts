/**
 * Base class of every error nines raises on purpose. The `code` is stable (never reused) and
 * documented in docs/errors.md; `statusCode` is the HTTP status the API answers with.
 * Check errors with {@link isNinesError} or by `code`, not only `instanceof`, so that two
 * copies of the package still recognise each other's errors.
 */
export class NinesError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: unknown;
  readonly isNinesError = true as const;

  constructor(code: string, statusCode: number, message: string, details?: unknown) {
    super(message);
    this.name = "NinesError";
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }
}

export function isNinesError(value: unknown): value is NinesError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { isNinesError?: unknown }).isNinesError === true &&
    typeof (value as { code?: unknown }).code === "string"
  );
}
