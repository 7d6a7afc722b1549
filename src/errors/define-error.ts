import { NinesError } from "./nines-error.js";

export interface ErrorDefinition {
  readonly code: string;
  readonly statusCode: number;
  /** One sentence for docs/errors.md: when this error is raised. */
  readonly description: string;
}

const CODE_PATTERN = /^NINES_ERR_[A-Z0-9]+_[A-Z0-9_]+$/;
const definitions = new Map<string, ErrorDefinition>();

export type NinesErrorClass = {
  new (message: string, details?: unknown): NinesError;
  readonly code: string;
  readonly statusCode: number;
};

/**
 * Declares an error class with a stable code, like Fastify's `createError`. Codes follow
 * `NINES_ERR_<AREA>_<WHAT>` and are registered once; docs/errors.md must list each of them.
 */
export function defineError(code: string, statusCode: number, description: string): NinesErrorClass {
  if (!CODE_PATTERN.test(code)) throw new TypeError(`error code ${code} does not match ${CODE_PATTERN}`);
  if (definitions.has(code)) throw new TypeError(`error code ${code} is defined twice`);
  definitions.set(code, { code, statusCode, description });
  return class extends NinesError {
    static readonly code = code;
    static readonly statusCode = statusCode;
    constructor(message: string, details?: unknown) {
      super(code, statusCode, message, details);
    }
  };
}

/** Every error defined so far (import src/errors/all.ts first to load every domain's errors). */
export function registeredErrors(): readonly ErrorDefinition[] {
  return [...definitions.values()].sort((a, b) => a.code.localeCompare(b.code));
}
