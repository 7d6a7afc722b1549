import { LabelArgInvalidError } from "./errors.js";
import { LABEL_NAME } from "./matcher.js";
import type { Labels } from "./signal.js";

/**
 * Parses CLI label arguments (`["service=db", "severity=critical"]`) into a label set. A value may
 * contain "=" and may be double-quoted; every malformed argument is reported at once with its index.
 */
export function parseLabelArgs(args: readonly string[]): Labels {
  const labels: Record<string, string> = {};
  const problems: { index: number; arg: string; reason: string }[] = [];
  args.forEach((arg, index) => {
    const eq = arg.indexOf("=");
    if (eq < 0) {
      problems.push({ index, arg, reason: "expected name=value" });
      return;
    }
    const name = arg.slice(0, eq).trim();
    let value = arg.slice(eq + 1);
    if (!LABEL_NAME.test(name)) {
      problems.push({
        index,
        arg,
        reason: name === "" ? "missing label name" : `"${name}" is not a valid label name`,
      });
      return;
    }
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (Object.hasOwn(labels, name)) {
      problems.push({ index, arg, reason: `label "${name}" given twice` });
      return;
    }
    labels[name] = value;
  });
  if (problems.length > 0) {
    const summary = problems.map((p) => `argument ${p.index + 1} "${p.arg}": ${p.reason}`).join("; ");
    throw new LabelArgInvalidError(`invalid label arguments: ${summary}`, problems);
  }
  return labels;
}
