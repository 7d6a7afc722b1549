import { DURATION_PATTERN, describeDurationProblem, tryParseDuration } from "../duration.js";
import type { Path } from "./diagnostic.js";
import { suggestion } from "./did-you-mean.js";

/** The subset of JSON Schema that nines' TypeBox spec schemas use. */
export interface SchemaNode {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly SchemaNode[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaNode;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly description?: string;
}

export interface SchemaProblem {
  readonly path: Path;
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than the value (unknown fields). */
  readonly atKey?: boolean;
}

/** Casts a TypeBox schema (plain JSON Schema at runtime) to the walker's view of it. */
export function asSchemaNode(schema: object): SchemaNode {
  return schema as SchemaNode;
}

/**
 * Checks a parsed YAML value against a schema and returns every problem with its path, so that
 * the JSON Schema and nines' own validation can never disagree. Never throws.
 */
export function checkSchema(value: unknown, schema: SchemaNode, path: Path = []): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  walk(value, schema, path, problems);
  return problems;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "a map",
  array: "a list",
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
};

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    default:
      return true;
  }
}

function typeHint(value: unknown, type: string): string | undefined {
  if (type === "number" && typeof value === "string" && /^[0-9.]+\s*%$/.test(value.trim()))
    return `write the number without "%": ${value.replace("%", "").trim()}`;
  if (type === "number" && typeof value === "string" && Number.isFinite(Number(value)))
    return `remove the quotes: ${value}`;
  if (type === "string" && (typeof value === "number" || typeof value === "boolean"))
    return `quote it: "${String(value)}"`;
  return undefined;
}

function walk(value: unknown, schema: SchemaNode, path: Path, out: SchemaProblem[]): void {
  if (schema.anyOf !== undefined) {
    walkAnyOf(value, schema.anyOf, path, out);
    return;
  }
  if (schema.const !== undefined) {
    if (value !== schema.const) {
      const hint = typeof value === "string" ? suggestion(value, [String(schema.const)]) : undefined;
      out.push({ path, message: `must be ${JSON.stringify(schema.const)}, got ${describe(value)}`, hint });
    }
    return;
  }
  const type = schema.type;
  if (type !== undefined && !hasType(value, type)) {
    if (type === "string" && schema.pattern === DURATION_PATTERN)
      out.push({ path, message: describeDurationProblem(value) });
    else
      out.push({
        path,
        message: `must be ${TYPE_WORDS[type] ?? type}, got ${describe(value)}`,
        hint: typeHint(value, type),
      });
    return;
  }
  if (typeof value === "string") checkString(value, schema, path, out);
  else if (typeof value === "number") checkNumber(value, schema, path, out);
  else if (Array.isArray(value)) checkArray(value, schema, path, out);
  else if (typeof value === "object" && value !== null)
    checkObject(value as Record<string, unknown>, schema, path, out);
}

function walkAnyOf(value: unknown, branches: readonly SchemaNode[], path: Path, out: SchemaProblem[]): void {
  const consts = branches.map((b) => b.const);
  if (consts.every((c) => c !== undefined)) {
    if (!consts.some((c) => c === value)) {
      const names = consts.map(String);
      out.push({
        path,
        message: `must be one of ${names.map((n) => JSON.stringify(n)).join(", ")}, got ${describe(value)}`,
        hint: typeof value === "string" ? suggestion(value, names) : undefined,
      });
    }
    return;
  }
  let fewest: SchemaProblem[] | undefined;
  for (const branch of branches) {
    const problems: SchemaProblem[] = [];
    walk(value, branch, path, problems);
    if (problems.length === 0) return;
    const typeMatches = branch.type === undefined || hasType(value, branch.type);
    if (fewest === undefined || (typeMatches && problems.length < fewest.length)) fewest = problems;
  }
  out.push(...(fewest ?? []));
}

function checkString(value: string, schema: SchemaNode, path: Path, out: SchemaProblem[]): void {
  if (schema.pattern === DURATION_PATTERN) {
    if (tryParseDuration(value) === undefined) out.push({ path, message: describeDurationProblem(value) });
    return;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength)
    out.push({ path, message: "must not be empty" });
  else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
    out.push({
      path,
      message: `${JSON.stringify(value)} does not match ${schema.pattern}`,
      hint: schema.description,
    });
}

function checkNumber(value: number, schema: SchemaNode, path: Path, out: SchemaProblem[]): void {
  if (schema.minimum !== undefined && value < schema.minimum)
    out.push({ path, message: `must be at least ${schema.minimum}, got ${value}` });
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
    out.push({ path, message: `must be greater than ${schema.exclusiveMinimum}, got ${value}` });
  if (schema.maximum !== undefined && value > schema.maximum)
    out.push({ path, message: `must be at most ${schema.maximum}, got ${value}` });
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
    out.push({ path, message: `must be less than ${schema.exclusiveMaximum}, got ${value}` });
}

function checkArray(value: readonly unknown[], schema: SchemaNode, path: Path, out: SchemaProblem[]): void {
  if (schema.minItems !== undefined && value.length < schema.minItems)
    out.push({
      path,
      message: `must list at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`,
    });
  if (schema.items === undefined) return;
  for (let i = 0; i < value.length; i++) walk(value[i], schema.items, [...path, i], out);
}

function checkObject(
  value: Record<string, unknown>,
  schema: SchemaNode,
  path: Path,
  out: SchemaProblem[],
): void {
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (value[key] === undefined || value[key] === null)
      out.push({ path: [...path, key], message: `is required`, hint: properties[key]?.description });
  }
  const patterns = Object.entries(schema.patternProperties ?? {});
  const known = Object.keys(properties);
  for (const [key, child] of Object.entries(value)) {
    const property = properties[key];
    if (property !== undefined) {
      if (child !== null && child !== undefined) walk(child, property, [...path, key], out);
      else if (!(schema.required ?? []).includes(key))
        out.push({ path: [...path, key], message: "is empty", hint: "give it a value or remove the line" });
      continue;
    }
    const pattern = patterns.find(([source]) => new RegExp(source).test(key));
    if (pattern !== undefined) {
      walk(child, pattern[1], [...path, key], out);
      continue;
    }
    if (patterns.length > 0 && known.length === 0) {
      out.push({
        path: [...path, key],
        message: `key ${JSON.stringify(key)} is not allowed here`,
        atKey: true,
      });
      continue;
    }
    if (schema.additionalProperties === false) {
      out.push({
        path: [...path, key],
        message: `unknown field "${key}"`,
        hint: suggestion(key, known),
        atKey: true,
      });
    } else if (typeof schema.additionalProperties === "object") {
      walk(child, schema.additionalProperties, [...path, key], out);
    }
  }
}
