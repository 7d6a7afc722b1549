export { NinesError, isNinesError } from "./nines-error.js";
export { defineError, registeredErrors, type ErrorDefinition, type NinesErrorClass } from "./define-error.js";
export * from "./common.js";
