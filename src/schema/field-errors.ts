import type { TSchema } from "typebox";
import { Value } from "typebox/value";

/** One problem with one field of an input, addressed by a dotted path ("server.port", "lines[2].name"). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Turns a JSON pointer ("/lines/2/name") into the dotted path users read ("lines[2].name"). */
export function pointerToPath(pointer: string): string {
  if (pointer === "" || pointer === "/") return "";
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

/**
 * Validates `value` against a TypeBox schema and returns one readable error per field. Unknown
 * fields are reported by name ("unknown field"), not as the schema keyword that caught them.
 */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    if (error.keyword === "additionalProperties") continue;
    const path = pointerToPath(error.instancePath);
    const message =
      error.keyword === "boolean" && error.schemaPath.endsWith("additionalProperties")
        ? "unknown field"
        : error.message;
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ path: path || "(root)", message });
  }
  return errors;
}
