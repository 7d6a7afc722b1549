import { SelectorInvalidError } from "../errors.js";

export type MatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher of a selector; regex matchers are fully anchored, as in PromQL. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  readonly regex?: RegExp;
}

export interface SeriesSelector {
  readonly text: string;
  readonly matchers: readonly LabelMatcher[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

function fail(text: string, message: string): never {
  throw new SelectorInvalidError(`invalid series selector ${JSON.stringify(text)}: ${message}`);
}

function readQuoted(text: string, pos: number): { readonly value: string; readonly pos: number } {
  const quote = text[pos];
  if (quote !== '"' && quote !== "'" && quote !== "`") fail(text, `expected a quoted value at ${pos}`);
  let value = "";
  let i = pos + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, pos: i + 1 };
    if (c === "\\" && quote !== "`") {
      const next = text[i + 1];
      const mapped = next === undefined ? undefined : ESCAPES[next];
      if (mapped === undefined) fail(text, `unknown escape at ${i}`);
      value += mapped;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return fail(text, "unterminated string");
}

function makeMatcher(text: string, name: string, op: MatchOp, value: string): LabelMatcher {
  if (op === "=" || op === "!=") return { name, op, value };
  try {
    return { name, op, value, regex: new RegExp(`^(?:${value})$`, "s") };
  } catch {
    return fail(text, `bad regular expression ${JSON.stringify(value)}`);
  }
}

/**
 * Parses a PromQL series selector: an optional metric name and optional `{…}` label matchers
 * with `=`, `!=`, `=~`, `!~` (e.g. `http_requests_total{job="api",code=~"5.."}`). Throws
 * NINES_ERR_PROMSELECTOR_INVALID on bad syntax, bad regexes or a selector that matches everything.
 */
export function parseSeriesSelector(text: string): SeriesSelector {
  const matchers: LabelMatcher[] = [];
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  skipSpace();
  const metric = NAME.exec(text.slice(pos));
  if (metric) {
    matchers.push({ name: "__name__", op: "=", value: metric[0] });
    pos += metric[0].length;
    skipSpace();
  }
  if (text[pos] === "{") {
    pos++;
    for (;;) {
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        break;
      }
      const label = LABEL.exec(text.slice(pos));
      if (!label) fail(text, `expected a label name at ${pos}`);
      pos += label[0].length;
      skipSpace();
      const op = (["=~", "!~", "!=", "="] as const).find((candidate) => text.startsWith(candidate, pos));
      if (op === undefined) fail(text, `expected =, !=, =~ or !~ at ${pos}`);
      pos += op.length;
      skipSpace();
      const quoted = readQuoted(text, pos);
      pos = quoted.pos;
      matchers.push(makeMatcher(text, label[0], op, quoted.value));
      skipSpace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] !== "}") fail(text, `expected , or } at ${pos}`);
    }
  }
  skipSpace();
  if (pos !== text.length) fail(text, `unexpected ${JSON.stringify(text.slice(pos, pos + 10))} at ${pos}`);
  if (!matchers.some((m) => !matchesValue(m, ""))) {
    fail(text, "needs at least one matcher that does not match the empty string");
  }
  return { text, matchers };
}

function matchesValue(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return m.regex?.test(value) ?? false;
    case "!~":
      return !(m.regex?.test(value) ?? false);
  }
}

/**
 * Whether a series' labels satisfy every matcher of a selector; a missing label counts as the
 * empty string, as in Prometheus.
 */
export function matchesSelector(selector: SeriesSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.matchers.every((m) =>
    matchesValue(m, Object.hasOwn(labels, m.name) ? (labels[m.name] ?? "") : ""),
  );
}
