import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Value } from "typebox/value";
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { fieldErrors } from "../schema/field-errors.js";
import { type Config, ConfigSchema } from "./config-schema.js";
import { envVariables } from "./env-variables.js";
import { ConfigInvalidError } from "./errors.js";

/** One problem in the configuration, with where it came from. */
export interface ConfigProblem {
  /** "nines.yaml:12:3" or "env NINES_SERVER_PORT". */
  readonly source: string;
  readonly path: string;
  readonly message: string;
}

export interface LoadedConfig {
  readonly config: Config;
  /** The file that was read, if any. */
  readonly file: string | undefined;
  readonly problems: readonly ConfigProblem[];
}

export interface LoadConfigOptions {
  /** Explicit file; when absent, ./nines.yaml is read if it exists. */
  readonly file?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Reads nines.yaml (if any) and NINES_* variables over the defaults, and reports every
 * problem with file, line and field instead of stopping at the first.
 */
export function inspectConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const explicit = options.file ?? env["NINES_CONFIG"];
  const local = join(options.cwd ?? process.cwd(), "nines.yaml");
  const file = explicit || (existsSync(local) ? local : undefined);
  const problems: ConfigProblem[] = [];
  let raw: Record<string, unknown> = {};
  let locate: (path: string) => string = () => file ?? "";

  if (file !== undefined) {
    if (!existsSync(file)) {
      problems.push({ source: file, path: "(file)", message: "file not found" });
    } else {
      const parsed = parseYamlFile(file, readFileSync(file, "utf8"), problems);
      raw = parsed.value;
      locate = parsed.locate;
    }
  }

  const fromEnv = envVariables(env);
  for (const problem of fromEnv.problems) problems.push(problem);
  const merged = mergeSections(raw, fromEnv.values);
  const envSource = new Map(fromEnv.sources);

  const candidate = Value.Default(ConfigSchema, Value.Clone(merged)) as unknown;
  for (const error of fieldErrors(ConfigSchema, candidate)) {
    const source = envSource.get(error.path) ?? locate(error.path);
    problems.push({ source, path: error.path, message: error.message });
  }
  const config = problems.length === 0 ? (candidate as Config) : defaultConfig();
  return { config, file, problems };
}

/** Like {@link inspectConfig}, but throws NINES_ERR_CONFIG_INVALID when anything is wrong. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const loaded = inspectConfig(options);
  if (loaded.problems.length > 0) {
    const lines = loaded.problems.map((p) => `${p.source} ${p.path}: ${p.message}`);
    throw new ConfigInvalidError(`invalid configuration:\n  ${lines.join("\n  ")}`, loaded.problems);
  }
  return loaded.config;
}

export function defaultConfig(): Config {
  return Value.Default(ConfigSchema, {
    server: {},
    database: {},
    auth: {},
    log: {},
    slo: {},
    alertmanager: {},
    leader: {},
    notifications: {},
    signals: {},
    incidents: {},
  }) as Config;
}

function mergeSections(file: Record<string, unknown>, env: Record<string, Record<string, unknown>>) {
  const sections = Object.keys(ConfigSchema.properties);
  const merged: Record<string, unknown> = { ...file };
  for (const section of sections) {
    const fromFile = file[section];
    const base =
      typeof fromFile === "object" && fromFile !== null && !Array.isArray(fromFile) ? fromFile : {};
    merged[section] = fromFile === undefined || base === fromFile ? { ...base, ...env[section] } : fromFile;
  }
  return merged;
}

function parseYamlFile(file: string, text: string, problems: ConfigProblem[]) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0]);
    problems.push({ source: `${file}:${pos.line}:${pos.col}`, path: "(yaml)", message: error.message });
  }
  const value = doc.errors.length === 0 ? doc.toJS() : {};
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  if (doc.errors.length === 0 && value !== null && !isObject) {
    problems.push({ source: `${file}:1:1`, path: "(root)", message: "must be a mapping of sections" });
  }
  return {
    value: (isObject ? value : {}) as Record<string, unknown>,
    locate: (path: string) => `${file}:${lineOf(doc, lineCounter, path)}`,
  };
}

/** Line:column of the deepest node of `path` that exists in the document. */
function lineOf(doc: Document, lineCounter: LineCounter, path: string): string {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const key of path.split(".").filter(Boolean)) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (!pair) break;
    offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
    node = pair.value;
    if (isScalar(node)) offset = node.range?.[0] ?? offset;
  }
  const pos = lineCounter.linePos(offset);
  return `${pos.line}:${pos.col}`;
}
