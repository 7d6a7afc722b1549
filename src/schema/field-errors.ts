import type { TSchema } from "typebox";
import { Settings } from "typebox/system";
import { Value } from "typebox/value";
import { patternMessageOf, schemaAt } from "./pattern-message.js";

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

const MAX_ERRORS = 100;

/**
 * Validates `value` against a TypeBox schema and returns one readable error per field and
 * problem. Unknown fields are reported by name ("unknown field"), each missing property at its
 * own path ("route.matchers: is required"), and a value outside a union of literals gets one
 * message listing the allowed values instead of one per branch. TypeBox stops after `maxErrors`
 * (8 by default); the limit is raised for this call only, so every problem is listed at once.
 */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  const byPath = new Map<string, { messages: string[]; allowed: unknown[]; union: boolean }>();
  const entry = (path: string) => {
    let e = byPath.get(path);
    if (e === undefined) {
      e = { messages: [], allowed: [], union: false };
      byPath.set(path, e);
    }
    return e;
  };
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_ERRORS });
  let errors: ReturnType<typeof Value.Errors>;
  try {
    errors = Value.Errors(schema, value);
  } finally {
    Settings.Set({ maxErrors: previous });
  }
  for (const error of errors) {
    const path = pointerToPath(error.instancePath);
    const params = error.params as {
      requiredProperties?: string[];
      allowedValue?: unknown;
      allowedValues?: unknown[];
    };
    if (error.keyword === "additionalProperties") continue;
    if (error.keyword === "required") {
      for (const name of params.requiredProperties ?? [])
        entry(path ? `${path}.${name}` : name).messages.push("is required");
    } else if (error.keyword === "boolean" && error.schemaPath.endsWith("additionalProperties")) {
      entry(path).messages.push("unknown field");
    } else if (error.keyword === "enum") {
      entry(path).messages.push(
        `must be one of ${(params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`,
      );
    } else if (error.keyword === "const") {
      entry(path).allowed.push(params.allowedValue);
    } else if (error.keyword === "anyOf") {
      entry(path).union = true;
    } else if (error.keyword === "pattern") {
      entry(path).messages.push(patternMessageOf(schemaAt(schema, error.schemaPath)) ?? error.message);
    } else {
      entry(path).messages.push(error.message);
    }
  }
  const out: FieldError[] = [];
  for (const [path, e] of byPath) {
    const shown = path || "(root)";
    if (e.allowed.length > 0 && e.messages.length === 0) {
      out.push({
        path: shown,
        message: `must be one of ${e.allowed.map((v) => JSON.stringify(v)).join(", ")}`,
      });
      continue;
    }
    let messages = [...new Set(e.messages)];
    if (e.union && messages.length > 1 && messages.every((m) => m.startsWith("must be "))) {
      const kinds = [
        ...messages.map((m) => m.slice("must be ".length)),
        ...e.allowed.map((v) => JSON.stringify(v)),
      ];
      messages = [`must be ${kinds.join(" or ")}`];
    }
    if (messages.length === 0 && e.union) messages.push("does not match any allowed form");
    for (const message of messages) out.push({ path: shown, message });
  }
  return out;
}
