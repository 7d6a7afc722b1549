export * from "./common.js";
export { defineError, type ErrorDefinition, type NinesErrorClass, registeredErrors } from "./define-error.js";
export { isNinesError, NinesError } from "./nines-error.js";
