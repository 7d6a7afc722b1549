/** Quotes a PromQL / Go string literal: backslash, double quote and newline escaped. */
export function promString(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;
}

/** A PromQL label matcher list `{a="x",b="y"}` (equality only), sorted by label name. */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${promString(labels[name] ?? "")}`);
  return `{${parts.join(",")}}`;
}

/**
 * A number as short PromQL text without float noise: `1 - 0.999` prints `0.001`, not
 * `0.0010000000000000009` (12 significant digits, like Sloth's templates).
 */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
