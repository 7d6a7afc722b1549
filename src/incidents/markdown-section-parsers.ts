import {
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_STATUSES,
  ACTION_ITEM_TYPES,
  type ActionItem,
  type ActionItemPriority,
  type ActionItemStatus,
  type ActionItemType,
  isHttpUrl,
} from "./action-item.js";
import { parseDurationText } from "./duration-text.js";
import { PostmortemMarkdownInvalidError } from "./errors.js";
import {
  ACTION_ITEM_COLUMNS,
  IMPACT_LABELS,
  LESSON_HEADINGS,
  splitRow,
  unescapeBlock,
  unescapeLinkTitle,
} from "./markdown-syntax.js";
import {
  type Lessons,
  normalizeLine,
  normalizeText,
  type PostmortemImpact,
  type PostmortemTimelineEntry,
  type SupportingLink,
} from "./postmortem.js";

/** Parsers for the sections of a Markdown postmortem; each reports malformed lines by number. */

export interface Section {
  readonly heading: string;
  readonly line: number;
  readonly lines: readonly string[];
}

/** Throws NINES_ERR_POSTMORTEM_MARKDOWN_INVALID naming the line (1-based) and field. */
export function fail(message: string, line: number | undefined, extra: Record<string, unknown> = {}): never {
  throw new PostmortemMarkdownInvalidError(line === undefined ? message : `line ${line}: ${message}`, {
    line,
    ...extra,
  });
}

/** Parses an ISO 8601 UTC time into ms, or fails naming the field. */
export function parseIso(value: string, field: string, line?: number): number {
  const ms = Date.parse(value);
  if (!Number.isInteger(ms) || ms < 0 || !/^[+-]?\d{4,6}-\d\d-\d\dT/.test(value)) {
    fail(`${field} must be an ISO 8601 UTC time, got "${value}"`, line, { field });
  }
  return ms;
}

/** The text of a Markdown heading of exactly `level` #s, else undefined. */
export function headingOf(line: string, level: number): string | undefined {
  const m = /^(#{1,3})(?:\s+(.*))?$/.exec(line);
  return m && m[1]?.length === level ? (m[2] ?? "").trim() : undefined;
}

/** A free-text section body in its stored form (unescaped, trimmed). */
export function block(lines: readonly string[]): string {
  return normalizeText(unescapeBlock(normalizeText(lines.join("\n"))));
}

/** Reads the impact list (users, duration, budget) and the description after it. */
export function parseImpact(section: Section, warnings: string[]): PostmortemImpact {
  let users = "";
  let durationMs = 0;
  let budgetConsumed = 0;
  let i = 0;
  while (i < section.lines.length && section.lines[i]?.trim() === "") i++;
  for (; i < section.lines.length; i++) {
    const line = (section.lines[i] ?? "").trim();
    const lineNo = section.line + 1 + i;
    const item = /^[-*]\s+(.*)$/.exec(line)?.[1];
    if (item === undefined) break;
    if (item.startsWith(IMPACT_LABELS.users)) {
      users = normalizeLine(item.slice(IMPACT_LABELS.users.length));
    } else if (item.startsWith(IMPACT_LABELS.duration)) {
      const d = parseDurationText(item.slice(IMPACT_LABELS.duration.length));
      if (d === undefined) fail("Duration must read like 1h 30m", lineNo, { field: "impact.durationMs" });
      durationMs = d;
    } else if (item.startsWith(IMPACT_LABELS.budget)) {
      const text = item.slice(IMPACT_LABELS.budget.length).trim();
      const exact = /\(([^()]+)\)$/.exec(text)?.[1];
      const percent = /^([0-9.eE+-]+)\s*%/.exec(text)?.[1];
      const value =
        exact !== undefined ? Number(exact) : percent !== undefined ? Number(percent) / 100 : Number.NaN;
      if (!(Number.isFinite(value) && value >= 0)) {
        fail("Error budget consumed must read like 12.5%", lineNo, { field: "impact.budgetConsumed" });
      }
      budgetConsumed = value;
    } else {
      break;
    }
  }
  if (i < section.lines.length && section.lines[i]?.trim() !== "") {
    warnings.push(
      `line ${section.line + 1 + i}: impact text directly after the list was read as the description`,
    );
  }
  return { users, durationMs, budgetConsumed, description: block(section.lines.slice(i)) };
}

function enumCell<T extends string>(value: string, allowed: readonly T[], field: string, line: number): T {
  const found = allowed.find((a) => a === value.toLowerCase() || a === value);
  if (found === undefined)
    fail(`${field} must be one of ${allowed.join(", ")}, got "${value}"`, line, { field });
  return found;
}

/** Reads the action item table; columns are found by header name, so they may be reordered. */
export function parseActionItems(section: Section, postmortemId: string, warnings: string[]): ActionItem[] {
  const rows = section.lines
    .map((text, i) => ({ text: text.trim(), line: section.line + 1 + i }))
    .filter((r) => r.text !== "");
  const table = rows.filter((r) => r.text.startsWith("|"));
  for (const r of rows)
    if (!r.text.startsWith("|")) warnings.push(`line ${r.line}: text outside the action item table ignored`);
  const header = table[0];
  if (header === undefined) return [];
  const columns = splitRow(header.text).map((c) => c.toLowerCase());
  const missing = ACTION_ITEM_COLUMNS.filter((c) => !columns.includes(c.toLowerCase()));
  const required = missing.filter((c) => !["Service", "Team", "Issue"].includes(c));
  if (required.length > 0)
    fail(`the action item table lacks column(s) ${required.join(", ")}`, header.line, {
      field: "actionItems",
    });
  const items: ActionItem[] = [];
  for (const row of table.slice(1)) {
    if (/^\|?[\s:|-]+$/.test(row.text)) continue;
    const cells = splitRow(row.text);
    const cell = (name: string): string => cells[columns.indexOf(name.toLowerCase())] ?? "";
    const path = `actionItems[${items.length}]`;
    const id = cell("ID");
    const description = normalizeLine(cell("Description"));
    const owner = cell("Owner");
    if (id === "" || description === "" || owner === "") {
      fail("an action item needs an ID, a description and an owner", row.line, { field: path });
    }
    const issueUrl = cell("Issue");
    if (issueUrl !== "" && !isHttpUrl(issueUrl)) {
      fail(`issue URL must be http or https, got "${issueUrl}"`, row.line, { field: `${path}.issueUrl` });
    }
    const service = cell("Service");
    const team = cell("Team");
    items.push({
      id,
      postmortemId,
      description,
      type: enumCell<ActionItemType>(cell("Type"), ACTION_ITEM_TYPES, `${path}.type`, row.line),
      owner,
      priority: enumCell<ActionItemPriority>(
        cell("Priority").toUpperCase(),
        ACTION_ITEM_PRIORITIES,
        `${path}.priority`,
        row.line,
      ),
      dueAt: parseIso(cell("Due"), `${path}.dueAt`, row.line),
      status: enumCell<ActionItemStatus>(
        cell("Status").replace("won't do", "wont-do"),
        ACTION_ITEM_STATUSES,
        `${path}.status`,
        row.line,
      ),
      ...(issueUrl !== "" ? { issueUrl } : {}),
      ...(service !== "" ? { service } : {}),
      ...(team !== "" ? { team } : {}),
    });
  }
  return items;
}

function listItems(
  section: Section,
  from: number,
  to: number,
  warnings: string[],
): Array<{ text: string; line: number }> {
  const items: Array<{ text: string; line: number }> = [];
  for (let i = from; i < to; i++) {
    const raw = (section.lines[i] ?? "").trim();
    const line = section.line + 1 + i;
    if (raw === "") continue;
    const m = /^[-*]\s+(.*)$/.exec(raw);
    if (m?.[1] === undefined) warnings.push(`line ${line}: not a list item, ignored`);
    else items.push({ text: m[1], line });
  }
  return items;
}

/** Reads the three lessons-learned lists under their `###` headings. */
export function parseLessons(section: Section, warnings: string[]): Lessons {
  const lessons: Record<keyof Lessons, string[]> = { wentWell: [], wentWrong: [], gotLucky: [] };
  const starts = section.lines.flatMap((l, i) => (headingOf(l, 3) !== undefined ? [i] : []));
  for (const [n, start] of starts.entries()) {
    const heading = headingOf(section.lines[start] ?? "", 3)?.toLowerCase();
    const key = (Object.keys(LESSON_HEADINGS) as Array<keyof Lessons>).find(
      (k) => LESSON_HEADINGS[k].toLowerCase() === heading,
    );
    if (key === undefined) {
      warnings.push(`line ${section.line + 1 + start}: unknown lessons heading "${heading}" ignored`);
      continue;
    }
    const end = starts[n + 1] ?? section.lines.length;
    lessons[key].push(
      ...listItems(section, start + 1, end, warnings)
        .map((i) => normalizeLine(i.text))
        .filter((t) => t !== ""),
    );
  }
  return lessons;
}

/** Reads "- <ISO time> — <text>" entries. */
export function parseTimeline(section: Section, warnings: string[]): PostmortemTimelineEntry[] {
  return listItems(section, 0, section.lines.length, warnings).map((item) => {
    const m = /^(\S+)\s+[—–-](?:\s+(.*))?$/.exec(item.text);
    if (m?.[1] === undefined)
      fail("a timeline entry must read '- <ISO time> — <text>'", item.line, { field: "timeline" });
    return { at: parseIso(m[1], "timeline.at", item.line), text: normalizeLine(m[2] ?? "") };
  });
}

/** Reads "- [title](url)" entries (or bare URLs); URLs must be http or https. */
export function parseLinks(section: Section, warnings: string[]): SupportingLink[] {
  return listItems(section, 0, section.lines.length, warnings).map((item) => {
    const m = /^\[((?:\\.|[^\]\\])*)\]\((\S*)\)$/.exec(item.text);
    const url = m?.[2] ?? item.text.trim();
    if (!isHttpUrl(url))
      fail(`a supporting link must be an http or https URL, got "${item.text}"`, item.line, {
        field: "links",
      });
    return { title: normalizeLine(m?.[1] !== undefined ? unescapeLinkTitle(m[1]) : ""), url };
  });
}
