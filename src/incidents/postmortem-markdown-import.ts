import { type Static, Type } from "typebox";
import { parse } from "yaml";
import { fieldErrors } from "../schema/field-errors.js";
import {
  block,
  fail,
  headingOf,
  parseActionItems,
  parseImpact,
  parseIso,
  parseLessons,
  parseLinks,
  parseTimeline,
  type Section,
} from "./markdown-section-parsers.js";
import { SECTION_HEADINGS, type SectionKey } from "./markdown-syntax.js";
import { type ExtraSection, normalizeLine, type Postmortem } from "./postmortem.js";

const Iso = Type.String({ minLength: 1 });
const Name = Type.String({ minLength: 1 });
const FrontMatterSchema = Type.Object({
  id: Name,
  incidentId: Name,
  status: Type.Enum(["draft", "in-review", "published"]),
  authors: Type.Array(Name),
  reviewers: Type.Optional(
    Type.Array(
      Type.Object({ name: Name, decision: Type.Enum(["pending", "approved", "changes-requested"]) }),
    ),
  ),
  services: Type.Optional(Type.Array(Name)),
  causeTags: Type.Optional(Type.Array(Name)),
  createdAt: Iso,
  updatedAt: Type.Optional(Iso),
  publishedAt: Type.Optional(Iso),
  comments: Type.Optional(
    Type.Array(
      Type.Object({
        id: Name,
        author: Name,
        at: Iso,
        kind: Type.Enum(["comment", "changes-requested", "blamelessness"]),
        text: Type.String(),
        section: Type.Optional(Type.String()),
        quote: Type.Optional(Type.String()),
        start: Type.Optional(Type.Integer({ minimum: 0 })),
        end: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
    ),
  ),
});
type FrontMatter = Static<typeof FrontMatterSchema>;

/** The imported postmortem plus what the importer could not place. */
export interface PostmortemImport {
  readonly postmortem: Postmortem;
  /** `##` headings that are not template sections; kept in `extraSections`. */
  readonly unknownSections: readonly string[];
  /** Template sections absent from the Markdown (left empty). */
  readonly missingSections: readonly SectionKey[];
  /** Lines that were ignored, with their line numbers. */
  readonly warnings: readonly string[];
}

function readFrontMatter(lines: readonly string[]): { data: FrontMatter; bodyStart: number } {
  if (lines[0]?.trim() !== "---")
    fail("the file must start with YAML front matter (---)", 1, { field: "frontMatter" });
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (close < 0) fail("the front matter is not closed by ---", 1, { field: "frontMatter" });
  let data: unknown;
  try {
    data = parse(lines.slice(1, close).join("\n"));
  } catch (cause) {
    fail(`the front matter is not valid YAML: ${(cause as Error).message}`, 2, { field: "frontMatter" });
  }
  const errors = fieldErrors(FrontMatterSchema, data);
  if (errors.length > 0) {
    const first = errors[0];
    fail(`front matter ${first?.path} ${first?.message}`, 2, {
      field: `frontMatter.${first?.path}`,
      errors: errors.map((e) => ({ ...e, path: `frontMatter.${e.path}` })),
    });
  }
  return { data: data as FrontMatter, bodyStart: close + 1 };
}

/**
 * Reads a postmortem back from Markdown written by {@link exportPostmortemMarkdown} and edited
 * by people. Headings match case-insensitively; unknown `##` sections are kept as extra
 * sections and reported; malformed lines throw NINES_ERR_POSTMORTEM_MARKDOWN_INVALID with the
 * line number. Round trip: importPostmortemMarkdown(exportPostmortemMarkdown(pm)).postmortem
 * equals pm for any normalized postmortem.
 */
export function importPostmortemMarkdown(markdown: string): PostmortemImport {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const { data, bodyStart } = readFrontMatter(lines);
  const warnings: string[] = [];
  let title: string | undefined;
  const sections: Section[] = [];
  let current: { heading: string; line: number; lines: string[] } | undefined;
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const h1 = headingOf(line, 1);
    const h2 = headingOf(line, 2);
    if (h1 !== undefined && title === undefined && current === undefined) {
      title = normalizeLine(h1);
    } else if (h2 !== undefined) {
      current = { heading: h2, line: i + 1, lines: [] };
      sections.push(current);
    } else if (current !== undefined) {
      current.lines.push(line);
    } else if (line.trim() !== "") {
      warnings.push(`line ${i + 1}: text before the first section ignored`);
    }
  }
  if (title === undefined)
    fail("the postmortem needs a '# Title' heading", bodyStart + 1, { field: "title" });

  const found = new Map<SectionKey, Section>();
  const extraSections: ExtraSection[] = [];
  const unknownSections: string[] = [];
  for (const s of sections) {
    const key = (Object.keys(SECTION_HEADINGS) as SectionKey[]).find(
      (k) => SECTION_HEADINGS[k].toLowerCase() === s.heading.toLowerCase(),
    );
    if (key !== undefined && !found.has(key)) {
      found.set(key, s);
    } else {
      extraSections.push({ heading: normalizeLine(s.heading), body: block(s.lines) });
      unknownSections.push(s.heading);
    }
  }
  const missingSections = (Object.keys(SECTION_HEADINGS) as SectionKey[]).filter((k) => !found.has(k));
  const empty: Section = { heading: "", line: 0, lines: [] };
  const get = (k: SectionKey): Section => found.get(k) ?? empty;
  const createdAt = parseIso(data.createdAt, "frontMatter.createdAt");

  const postmortem: Postmortem = {
    id: data.id,
    incidentId: data.incidentId,
    title,
    status: data.status,
    authors: data.authors,
    reviewers: data.reviewers ?? [],
    comments: (data.comments ?? []).map((c) => ({ ...c, at: parseIso(c.at, "frontMatter.comments.at") })),
    createdAt,
    updatedAt: data.updatedAt !== undefined ? parseIso(data.updatedAt, "frontMatter.updatedAt") : createdAt,
    ...(data.publishedAt !== undefined
      ? { publishedAt: parseIso(data.publishedAt, "frontMatter.publishedAt") }
      : {}),
    services: data.services ?? [],
    causeTags: data.causeTags ?? [],
    summary: block(get("summary").lines),
    impact: parseImpact(get("impact"), warnings),
    rootCauses: block(get("rootCauses").lines),
    trigger: block(get("trigger").lines),
    detection: block(get("detection").lines),
    resolution: block(get("resolution").lines),
    actionItems: parseActionItems(get("actionItems"), data.id, warnings),
    lessons: parseLessons(get("lessons"), warnings),
    timeline: parseTimeline(get("timeline"), warnings),
    links: parseLinks(get("links"), warnings),
    extraSections,
  };
  return { postmortem, unknownSections, missingSections, warnings };
}
