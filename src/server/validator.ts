import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";

// ajv-formats is CommonJS; its default export arrives as a namespace under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// `verbose` gives each error its schema, for messages a schema words itself (`patternMessage`).
const shared: Options = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
  verbose: true,
};

/** JSON bodies are validated exactly as sent (see registerValidators). */
const exactAjv = () => addFormats(new Ajv({ ...shared, coerceTypes: false }));
let bodies: Ajv | undefined;

/**
 * A body validator compiled as routes compile theirs, for a route that reads its own body and
 * validates only what a faster reader did not accept (its issues go to `validationError`).
 */
export function compileBodyValidator(schema: object) {
  bodies ??= exactAjv();
  return bodies.compile(schema);
}

/**
 * JSON bodies are validated exactly as sent: a number where a string belongs is an error, not
 * silently turned into "42". Query strings, path parameters and headers arrive as text, so
 * those are coerced to the schema's types.
 */
export function registerValidators(app: FastifyInstance): void {
  const exact = exactAjv();
  const coercing = addFormats(new Ajv({ ...shared, coerceTypes: "array" }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? exact : coercing).compile(schema as object),
  );
}
