import { MatcherInvalidError } from "./errors.js";
import type { Labels } from "./signal.js";

export type MatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher, as in Alertmanager: equal, not equal, regex, not regex. */
export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  /** The value compiled as a fully anchored regex, for `=~` and `!~`. */
  readonly regex?: RegExp;
}

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Builds a matcher, compiling regexes anchored at both ends like Prometheus. */
export function matcher(name: string, op: MatchOp, value: string): Matcher {
  if (!LABEL_NAME.test(name)) throw new MatcherInvalidError(`"${name}" is not a valid label name`, { name });
  if (op === "=" || op === "!=") return { name, op, value };
  try {
    return { name, op, value, regex: new RegExp(`^(?:${value})$`) };
  } catch (e) {
    throw new MatcherInvalidError(`regex "${value}" does not compile: ${(e as Error).message}`, {
      name,
      value,
    });
  }
}

/**
 * Parses `name=value`, `name!=value`, `name=~regex` or `name!~regex`; the value may be in double
 * quotes with backslash escapes (`service=~"db|cache"`).
 */
export function parseMatcher(text: string): Matcher {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s.exec(text);
  if (m === null) {
    throw new MatcherInvalidError(
      `"${text}" is not a matcher (expected name=value, name!=value, name=~re or name!~re)`,
      {
        matcher: text,
      },
    );
  }
  return matcher(m[1] as string, m[2] as MatchOp, unquote(m[3] as string, text));
}

function unquote(raw: string, text: string): string {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"') || (raw.endsWith('\\"') && !raw.endsWith('\\\\"'))) {
    throw new MatcherInvalidError(`"${text}" has an unterminated quoted value`, { matcher: text });
  }
  return raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

/** True when the label set satisfies the matcher; an absent label reads as "" (Alertmanager semantics). */
export function matches(m: Matcher, labels: Labels): boolean {
  const value = labels[m.name] ?? "";
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return (m.regex ?? matcher(m.name, m.op, m.value).regex)?.test(value) ?? false;
    case "!~":
      return !((m.regex ?? matcher(m.name, m.op, m.value).regex)?.test(value) ?? false);
  }
}

/** True when every matcher matches (an empty list matches everything). */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => matches(m, labels));
}

/** Renders a matcher back to text, quoting the value (`severity="page"`). */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}
