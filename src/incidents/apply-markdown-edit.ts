import { PostmortemMarkdownInvalidError } from "./errors.js";
import type { Postmortem } from "./postmortem.js";
import { importPostmortemMarkdown, type PostmortemImport } from "./postmortem-markdown-import.js";
import { editPostmortem } from "./postmortem-review.js";

/**
 * Applies an author's edited Markdown to a stored draft. Only the template content is taken
 * from the file; ids, status, reviewers and comments stay as stored, so review state cannot be
 * changed by editing front matter. Throws NINES_ERR_POSTMORTEM_MARKDOWN_INVALID when the file
 * belongs to another postmortem, and the errors of {@link editPostmortem} (author, draft only).
 */
export function applyMarkdownEdit(
  pm: Postmortem,
  editor: string,
  markdown: string,
  at: number,
): PostmortemImport {
  const imported = importPostmortemMarkdown(markdown);
  const edited = imported.postmortem;
  if (edited.id !== pm.id) {
    throw new PostmortemMarkdownInvalidError(`the Markdown is for postmortem ${edited.id}, not ${pm.id}`, {
      field: "frontMatter.id",
      line: undefined,
    });
  }
  const postmortem = editPostmortem(
    pm,
    editor,
    {
      title: edited.title,
      summary: edited.summary,
      impact: edited.impact,
      rootCauses: edited.rootCauses,
      trigger: edited.trigger,
      detection: edited.detection,
      resolution: edited.resolution,
      actionItems: edited.actionItems,
      lessons: edited.lessons,
      timeline: edited.timeline,
      links: edited.links,
      extraSections: edited.extraSections,
      services: edited.services,
      causeTags: edited.causeTags,
    },
    at,
  );
  return { ...imported, postmortem };
}
