import { stringify } from "yaml";
import { formatDurationText } from "./duration-text.js";
import {
  ACTION_ITEM_COLUMNS,
  escapeBlock,
  escapeCell,
  escapeLinkTitle,
  IMPACT_LABELS,
  isoTime,
  LESSON_HEADINGS,
  SECTION_HEADINGS,
} from "./markdown-syntax.js";
import type { Postmortem } from "./postmortem.js";

function frontMatter(pm: Postmortem): string {
  const data = {
    id: pm.id,
    incidentId: pm.incidentId,
    status: pm.status,
    authors: pm.authors,
    reviewers: pm.reviewers.map((r) => ({ name: r.name, decision: r.decision })),
    services: pm.services,
    causeTags: pm.causeTags,
    createdAt: isoTime(pm.createdAt),
    updatedAt: isoTime(pm.updatedAt),
    ...(pm.publishedAt !== undefined ? { publishedAt: isoTime(pm.publishedAt) } : {}),
    comments: pm.comments.map((c) => ({ ...c, at: isoTime(c.at) })),
  };
  return `---\n${stringify(data, { lineWidth: 0 })}---`;
}

function list(items: readonly string[]): string[] {
  return items.map((i) => `- ${i}`);
}

function budgetText(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}% (${fraction})`;
}

/**
 * Renders a postmortem as Markdown: YAML front matter (ids, status, review metadata), then one
 * section per template part, action items as a table and the timeline as a list.
 * {@link importPostmortemMarkdown} reads it back to an equal postmortem.
 */
export function exportPostmortemMarkdown(pm: Postmortem): string {
  const h = SECTION_HEADINGS;
  const lines: string[] = [frontMatter(pm), "", `# ${pm.title}`.trimEnd(), ""];
  const section = (heading: string, body: readonly string[]): void => {
    lines.push(`## ${heading}`, "");
    if (body.length > 0) lines.push(...body, "");
  };
  const block = (text: string): string[] => (text === "" ? [] : [escapeBlock(text)]);

  section(h.summary, block(pm.summary));
  section(h.impact, [
    `- ${IMPACT_LABELS.users} ${pm.impact.users}`.trimEnd(),
    `- ${IMPACT_LABELS.duration} ${formatDurationText(pm.impact.durationMs)}`,
    `- ${IMPACT_LABELS.budget} ${budgetText(pm.impact.budgetConsumed)}`,
    ...(pm.impact.description === "" ? [] : ["", escapeBlock(pm.impact.description)]),
  ]);
  section(h.rootCauses, block(pm.rootCauses));
  section(h.trigger, block(pm.trigger));
  section(h.detection, block(pm.detection));
  section(h.resolution, block(pm.resolution));
  section(h.actionItems, [
    `| ${ACTION_ITEM_COLUMNS.join(" | ")} |`,
    `|${ACTION_ITEM_COLUMNS.map(() => "---").join("|")}|`,
    ...pm.actionItems.map((a) => {
      const cells = [
        a.id,
        a.description,
        a.type,
        a.owner,
        a.priority,
        isoTime(a.dueAt),
        a.status,
        a.service ?? "",
        a.team ?? "",
        a.issueUrl ?? "",
      ];
      return `| ${cells.map(escapeCell).join(" | ")} |`;
    }),
  ]);
  lines.push(`## ${h.lessons}`, "");
  for (const key of ["wentWell", "wentWrong", "gotLucky"] as const) {
    lines.push(`### ${LESSON_HEADINGS[key]}`, "");
    if (pm.lessons[key].length > 0) lines.push(...list(pm.lessons[key]), "");
  }
  section(
    h.timeline,
    pm.timeline.map((e) => `- ${isoTime(e.at)} — ${e.text}`.trimEnd()),
  );
  section(
    h.links,
    pm.links.map((l) => `- [${escapeLinkTitle(l.title)}](${l.url})`),
  );
  for (const extra of pm.extraSections) section(extra.heading, block(extra.body));
  return `${lines.join("\n").trimEnd()}\n`;
}
