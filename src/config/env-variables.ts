import { ConfigSchema } from "./config-schema.js";
import type { ConfigProblem } from "./load-config.js";

type Section = keyof typeof ConfigSchema.properties;

/** `NINES_SERVER_BODY_LIMIT` for server.bodyLimit. */
export function envName(section: string, key: string): string {
  return `NINES_${section}_${key.replace(/[A-Z]/g, (c) => `_${c}`)}`.toUpperCase();
}

/** Every configuration field that can be set from the environment, with its variable name. */
export function envFields(): { section: Section; key: string; name: string; type: string }[] {
  const fields: { section: Section; key: string; name: string; type: string }[] = [];
  for (const [section, schema] of Object.entries(ConfigSchema.properties)) {
    for (const [key, field] of Object.entries(schema.properties as Record<string, { type?: string }>)) {
      fields.push({
        section: section as Section,
        key,
        name: envName(section, key),
        type: field.type ?? "string",
      });
    }
  }
  return fields;
}

/**
 * Reads NINES_* variables (and the conventional DATABASE_URL) into config sections, coercing
 * numbers and booleans. Variables are named after the field: server.bodyLimit → NINES_SERVER_BODY_LIMIT.
 */
export function envVariables(env: NodeJS.ProcessEnv) {
  const values: Record<string, Record<string, unknown>> = {};
  const sources: [string, string][] = [];
  const problems: ConfigProblem[] = [];
  for (const field of envFields()) {
    const name = field.name;
    const raw = env[name] ?? (name === "NINES_DATABASE_URL" ? env["DATABASE_URL"] : undefined);
    if (raw === undefined || raw === "") continue;
    const source = env[name] !== undefined ? `env ${name}` : "env DATABASE_URL";
    const value = coerce(raw, field.type);
    if (value === undefined) {
      problems.push({
        source,
        path: `${field.section}.${field.key}`,
        message: `must be ${field.type}, got "${raw}"`,
      });
      continue;
    }
    values[field.section] = { ...values[field.section], [field.key]: value };
    sources.push([`${field.section}.${field.key}`, source]);
  }
  return { values, sources, problems };
}

function coerce(raw: string, type: string): unknown {
  if (type === "integer" || type === "number") {
    const n = Number(raw);
    return raw.trim() !== "" && Number.isFinite(n) ? n : undefined;
  }
  if (type === "boolean") {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    return undefined;
  }
  if (type === "array")
    return raw
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  return raw;
}
