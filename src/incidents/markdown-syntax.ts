/** Headings of the postmortem template in Markdown, in export order. */
export const SECTION_HEADINGS = {
  summary: "Summary",
  impact: "Impact",
  rootCauses: "Root causes",
  trigger: "Trigger",
  detection: "Detection",
  resolution: "Resolution",
  actionItems: "Action items",
  lessons: "Lessons learned",
  timeline: "Timeline",
  links: "Supporting links",
} as const;
export type SectionKey = keyof typeof SECTION_HEADINGS;

export const LESSON_HEADINGS = {
  wentWell: "What went well",
  wentWrong: "What went wrong",
  gotLucky: "Where we got lucky",
} as const;

export const IMPACT_LABELS = {
  users: "Users affected:",
  duration: "Duration:",
  budget: "Error budget consumed:",
} as const;

export const ACTION_ITEM_COLUMNS = [
  "ID",
  "Description",
  "Type",
  "Owner",
  "Priority",
  "Due",
  "Status",
  "Service",
  "Team",
  "Issue",
] as const;

/** Free text may not start a line with "#" (it would read as a heading): one backslash is added. */
export function escapeBlock(text: string): string {
  return text
    .split("\n")
    .map((line) => (/^\\*#/.test(line) ? `\\${line}` : line))
    .join("\n");
}

/** Reverses {@link escapeBlock}. */
export function unescapeBlock(text: string): string {
  return text
    .split("\n")
    .map((line) => (/^\\+#/.test(line) ? line.slice(1) : line))
    .join("\n");
}

/** Escapes a table cell so that `|` and `\\` survive. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
}

/** Splits a table row "| a | b\|c |" into unescaped, trimmed cells. */
export function splitRow(line: string): string[] {
  const body = line.trim().replace(/^\|/, "");
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\" && i + 1 < body.length) {
      cell += body[i + 1];
      i++;
    } else if (c === "|") {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += c;
    }
  }
  if (cell.trim() !== "") cells.push(cell.trim());
  return cells;
}

/** Escapes `]` and `\\` in a link title. */
export function escapeLinkTitle(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\]/g, "\\]");
}

/** Reverses {@link escapeLinkTitle}. */
export function unescapeLinkTitle(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

/** UTC ms as an ISO 8601 string, the form times take in Markdown. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
