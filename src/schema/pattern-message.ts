/**
 * `pattern` errors read "must match pattern ^[hH][tT]…" by default, which names the field but not
 * what is wrong in words. A schema may say it itself: `Type.String({ pattern, patternMessage })`.
 * Both validators (TypeBox for files and configs, Ajv for requests) use it.
 */
export const PATTERN_MESSAGE = "patternMessage";

export function patternMessageOf(schema: unknown): string | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const message = (schema as Record<string, unknown>)[PATTERN_MESSAGE];
  return typeof message === "string" ? message : undefined;
}

/** The sub-schema a TypeBox error's `schemaPath` ("#/properties/a/items/0") points at. */
export function schemaAt(root: unknown, schemaPath: string): unknown {
  let node = root;
  for (const raw of schemaPath.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}
