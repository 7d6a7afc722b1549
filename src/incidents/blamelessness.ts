import type { Postmortem, ReviewComment } from "./postmortem.js";

export type BlameRule = "person-blame" | "blame-attribution" | "blame-word";

/** A sentence that reads as blaming a person. Positions are character offsets in the checked text. */
export interface BlameFinding {
  readonly sentence: string;
  readonly start: number;
  readonly end: number;
  readonly rules: readonly BlameRule[];
  /** The words that triggered the first rule. */
  readonly match: string;
  readonly hint: string;
}

const HINTS: Readonly<Record<BlameRule, string>> = {
  "person-blame":
    "Make the system the subject: say what allowed this to happen (a missing check, an unclear runbook, a risky default) and what will catch it next time, e.g. 'The deploy tool did not validate the config'.",
  "blame-attribution":
    "Replace who with what: describe the decision in its context (what the person knew, what the tooling allowed) instead of attributing the outage to someone.",
  "blame-word":
    "Drop the judgement word and state facts plus the gap in the system, e.g. 'the console allowed the change without confirmation' instead of 'human error'.",
};

const PERSON_WORDS =
  "he|she|they|someone|somebody|the (?:engineer|developer|operator|on-?caller|on-call engineer|intern|sre)";
const ADVERBS =
  "accidentally|mistakenly|carelessly|negligently|simply|just|also|then|again|clearly|obviously|apparently|completely|had|has|have|did|never|not|didn't";
const BLAME_VERBS =
  "broke|breaks|break|forgot|forgets|forget|failed to|fails to|neglected|neglects|ignored|ignores|missed|misses|messed up|screwed up|caused|causes|misconfigured|overlooked|botched|fat-fingered|should have|made a mistake|made an error|was careless|pushed a bad|deployed a bad|(?:did not|didn't) (?:check|test|verify|review|follow|read|notice)";
const FAULT_NOUNS = String.raw`mistake|error(?!s\b|\s+(?:budget|rate|ratio|count))|fault|oversight|negligence|carelessness|blunder|screw-?up|bad (?:change|commit|push|deploy|config)`;
const BLAME_WORDS =
  "careless(?:ly|ness)?|negligen(?:t|tly|ce)|fault of|at fault|human error|operator error|pilot error|incompetent|incompetence|sloppy|lazy|stupid|should have known|to blame|blame[ds]?|blaming";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function patterns(people: readonly string[]): Array<readonly [BlameRule, RegExp]> {
  const names = people
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|");
  const subject = names === "" ? `(?:${PERSON_WORDS})` : `(?:${names}|${PERSON_WORDS})`;
  const possessive = names === "" ? "(?:his|her|their)" : `(?:(?:${names})(?:'s|’s)|his|her|their)`;
  const rules: Array<readonly [BlameRule, RegExp]> = [
    [
      "person-blame",
      new RegExp(String.raw`\b${subject}\b(?:\s+(?:${ADVERBS})){0,2}\s+(?:${BLAME_VERBS})\b`, "i"),
    ],
    [
      "person-blame",
      new RegExp(String.raw`\b${subject}\s+(?:accidentally|mistakenly|carelessly|negligently)\b`, "i"),
    ],
    ["blame-attribution", new RegExp(String.raw`(?:^|[^\w'’])${possessive}\s+(?:${FAULT_NOUNS})`, "i")],
  ];
  if (names !== "") {
    rules.push([
      "blame-attribution",
      new RegExp(
        String.raw`\b(?:caused by|due to|because of|blame (?:on|lies with)|responsibility of)\s+(?:${names})\b(?!(?:'s|’s)\s+(?:rollback|fix|mitigation|quick))`,
        "i",
      ),
    ]);
  }
  rules.push(["blame-word", new RegExp(String.raw`\b(?:${BLAME_WORDS})\b`, "i")]);
  return rules;
}

/** Splits text into sentences (ending at . ! ? followed by a space, or at a line break) with offsets. */
export function splitSentences(text: string): Array<{ sentence: string; start: number; end: number }> {
  const out: Array<{ sentence: string; start: number; end: number }> = [];
  let from = 0;
  const push = (to: number): void => {
    const raw = text.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    const sentence = raw.trim();
    if (sentence !== "") out.push({ sentence, start: from + lead, end: from + lead + sentence.length });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      push(i);
      from = i + 1;
    } else if (
      (c === "." || c === "!" || c === "?") &&
      (i + 1 === text.length || /\s/.test(text[i + 1] ?? ""))
    ) {
      push(i + 1);
      from = i + 1;
    }
  }
  push(text.length);
  return out;
}

/**
 * Flags sentences that blame individuals (SRE book ch. 15: a blameless postmortem looks at
 * systems and processes, not people). `people` are names that may appear in the text; a person
 * acting ("Alice rolled back the release") is fine, a person as the subject of a failure is not.
 * Findings are suggestions for review comments, never blockers.
 */
export function checkBlamelessness(text: string, people: readonly string[] = []): BlameFinding[] {
  const rules = patterns(people);
  const findings: BlameFinding[] = [];
  for (const s of splitSentences(text)) {
    const hits = rules.flatMap(([rule, re]) => {
      const m = re.exec(s.sentence);
      return m ? [{ rule, match: m[0].replace(/^[^\w]+/, "") }] : [];
    });
    const first = hits[0];
    if (first === undefined) continue;
    findings.push({
      ...s,
      rules: [...new Set(hits.map((h) => h.rule))],
      match: first.match,
      hint: HINTS[first.rule],
    });
  }
  return findings;
}

const CHECKED_SECTIONS = ["summary", "rootCauses", "trigger", "detection", "resolution"] as const;

/**
 * Runs the blamelessness check over a postmortem's prose and returns one review comment per
 * flagged sentence (kind "blamelessness"), to be added to the review as suggestions.
 */
export function blamelessnessComments(
  pm: Postmortem,
  people: readonly string[],
  meta: { readonly author: string; readonly at: number },
): Array<Omit<ReviewComment, "id">> {
  const sections: Array<readonly [string, string]> = [
    ...CHECKED_SECTIONS.map((k) => [k, pm[k]] as const),
    ["impact.description", pm.impact.description],
    ...pm.lessons.wentWrong.map((l, i) => [`lessons.wentWrong[${i}]`, l] as const),
  ];
  return sections.flatMap(([section, text]) =>
    checkBlamelessness(text, people).map((f) => ({
      author: meta.author,
      at: meta.at,
      kind: "blamelessness" as const,
      text: `Possible blame (${f.rules.join(", ")}: "${f.match}"). ${f.hint}`,
      section,
      quote: f.sentence,
      start: f.start,
      end: f.end,
    })),
  );
}
