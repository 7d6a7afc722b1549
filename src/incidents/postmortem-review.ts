import { type ActionItem, checkActionItem } from "./action-item.js";
import { assertUtcMs } from "./assert-utc-ms.js";
import {
  PostmortemNotApprovedError,
  PostmortemNotAuthorError,
  PostmortemNotEditableError,
  PostmortemNotReviewerError,
  PostmortemReviewersInvalidError,
  PostmortemTransitionIllegalError,
} from "./errors.js";
import {
  type ExtraSection,
  type Lessons,
  normalizeLine,
  normalizeText,
  type Postmortem,
  type PostmortemImpact,
  type PostmortemStatus,
  type PostmortemTimelineEntry,
  type ReviewComment,
  type SupportingLink,
} from "./postmortem.js";

/** The content an author may change while the postmortem is a draft. */
export interface PostmortemEdit {
  readonly title?: string;
  readonly summary?: string;
  readonly impact?: PostmortemImpact;
  readonly rootCauses?: string;
  readonly trigger?: string;
  readonly detection?: string;
  readonly resolution?: string;
  /** `postmortemId` is set to the edited postmortem's id. */
  readonly actionItems?: readonly (Omit<ActionItem, "postmortemId"> & { readonly postmortemId?: string })[];
  readonly lessons?: Lessons;
  readonly timeline?: readonly PostmortemTimelineEntry[];
  readonly links?: readonly SupportingLink[];
  readonly extraSections?: readonly ExtraSection[];
  readonly services?: readonly string[];
  readonly causeTags?: readonly string[];
}

function requireStatus(pm: Postmortem, action: string, allowed: readonly PostmortemStatus[]): void {
  if (!allowed.includes(pm.status)) {
    throw new PostmortemTransitionIllegalError(
      `cannot ${action} postmortem ${pm.id} while it is ${pm.status}`,
      {
        action,
        status: pm.status,
        allowedIn: allowed,
      },
    );
  }
}

function requireAuthor(pm: Postmortem, person: string, action: string): void {
  if (!pm.authors.includes(person)) {
    throw new PostmortemNotAuthorError(`${person} is not an author of ${pm.id} and cannot ${action} it`, {
      person,
      authors: pm.authors,
    });
  }
}

function requireReviewer(pm: Postmortem, person: string): void {
  if (!pm.reviewers.some((r) => r.name === person)) {
    throw new PostmortemNotReviewerError(`${person} is not a named reviewer of ${pm.id}`, {
      person,
      reviewers: pm.reviewers.map((r) => r.name),
    });
  }
}

function nextComment(pm: Postmortem, comment: Omit<ReviewComment, "id">): readonly ReviewComment[] {
  return [
    ...pm.comments,
    { id: `c${pm.comments.length + 1}`, ...comment, text: normalizeText(comment.text) },
  ];
}

/**
 * Applies an author's edit to a draft. Only authors edit, and only drafts: a postmortem in
 * review goes back to draft through requested changes. Text is stored trimmed.
 */
export function editPostmortem(pm: Postmortem, editor: string, edit: PostmortemEdit, at: number): Postmortem {
  requireAuthor(pm, editor, "edit");
  if (pm.status !== "draft") {
    throw new PostmortemNotEditableError(`postmortem ${pm.id} is ${pm.status}; only drafts can be edited`, {
      status: pm.status,
    });
  }
  assertUtcMs(at, "at");
  const actionItems = edit.actionItems?.map(
    (a): ActionItem => ({ ...a, postmortemId: pm.id, description: normalizeLine(a.description) }),
  );
  for (const [i, item] of (actionItems ?? []).entries()) checkActionItem(item, `actionItems[${i}]`);
  const text = (value: string | undefined, current: string): string =>
    value === undefined ? current : normalizeText(value);
  const lines = (list: readonly string[]): string[] => list.map(normalizeLine).filter((l) => l !== "");
  return {
    ...pm,
    title: edit.title === undefined ? pm.title : normalizeLine(edit.title),
    summary: text(edit.summary, pm.summary),
    rootCauses: text(edit.rootCauses, pm.rootCauses),
    trigger: text(edit.trigger, pm.trigger),
    detection: text(edit.detection, pm.detection),
    resolution: text(edit.resolution, pm.resolution),
    impact: edit.impact
      ? {
          ...edit.impact,
          users: normalizeLine(edit.impact.users),
          description: normalizeText(edit.impact.description),
        }
      : pm.impact,
    actionItems: actionItems ?? pm.actionItems,
    lessons: edit.lessons
      ? {
          wentWell: lines(edit.lessons.wentWell),
          wentWrong: lines(edit.lessons.wentWrong),
          gotLucky: lines(edit.lessons.gotLucky),
        }
      : pm.lessons,
    timeline: edit.timeline
      ? edit.timeline.map((e) => ({ at: e.at, text: normalizeLine(e.text) }))
      : pm.timeline,
    links: edit.links ? edit.links.map((l) => ({ title: normalizeLine(l.title), url: l.url })) : pm.links,
    extraSections: edit.extraSections
      ? edit.extraSections.map((s) => ({ heading: normalizeLine(s.heading), body: normalizeText(s.body) }))
      : pm.extraSections,
    services: edit.services ?? pm.services,
    causeTags: edit.causeTags ?? pm.causeTags,
    updatedAt: at,
  };
}

/**
 * draft → in-review. An author names the reviewers (at least one, none of them an author);
 * every reviewer starts `pending`, also after a round of requested changes.
 */
export function submitForReview(
  pm: Postmortem,
  by: string,
  reviewers: readonly string[],
  at: number,
): Postmortem {
  requireStatus(pm, "submit", ["draft"]);
  requireAuthor(pm, by, "submit");
  assertUtcMs(at, "at");
  const names = [...new Set(reviewers.map((r) => r.trim()).filter((r) => r !== ""))];
  if (names.length === 0 || names.some((n) => pm.authors.includes(n))) {
    throw new PostmortemReviewersInvalidError("a review needs at least one reviewer who is not an author", {
      reviewers,
      authors: pm.authors,
    });
  }
  return {
    ...pm,
    status: "in-review",
    reviewers: names.map((name) => ({ name, decision: "pending" as const })),
    updatedAt: at,
  };
}

/** A named reviewer approves the postmortem under review. */
export function approvePostmortem(pm: Postmortem, reviewer: string, at: number): Postmortem {
  requireStatus(pm, "approve", ["in-review"]);
  requireReviewer(pm, reviewer);
  assertUtcMs(at, "at");
  return {
    ...pm,
    reviewers: pm.reviewers.map((r) => (r.name === reviewer ? { ...r, decision: "approved" as const } : r)),
    updatedAt: at,
  };
}

/** A named reviewer requests changes: the postmortem goes back to draft with the comment. */
export function requestChanges(pm: Postmortem, reviewer: string, text: string, at: number): Postmortem {
  requireStatus(pm, "request changes on", ["in-review"]);
  requireReviewer(pm, reviewer);
  assertUtcMs(at, "at");
  return {
    ...pm,
    status: "draft",
    reviewers: pm.reviewers.map((r) =>
      r.name === reviewer ? { ...r, decision: "changes-requested" as const } : r,
    ),
    comments: nextComment(pm, { author: reviewer, at, kind: "changes-requested", text }),
    updatedAt: at,
  };
}

/** Adds a comment (by an author or a reviewer) to a draft or a postmortem in review. */
export function commentOnPostmortem(
  pm: Postmortem,
  comment: Omit<ReviewComment, "id" | "kind"> & { readonly kind?: ReviewComment["kind"] },
): Postmortem {
  requireStatus(pm, "comment on", ["draft", "in-review"]);
  if (!pm.authors.includes(comment.author) && !pm.reviewers.some((r) => r.name === comment.author)) {
    throw new PostmortemNotReviewerError(
      `${comment.author} is neither an author nor a reviewer of ${pm.id}`,
      {
        person: comment.author,
      },
    );
  }
  assertUtcMs(comment.at, "at");
  return { ...pm, comments: nextComment(pm, { kind: "comment", ...comment }) };
}

/** in-review → published, by an author, once every named reviewer has approved. */
export function publishPostmortem(pm: Postmortem, by: string, at: number): Postmortem {
  requireStatus(pm, "publish", ["in-review"]);
  requireAuthor(pm, by, "publish");
  assertUtcMs(at, "at");
  const pending = pm.reviewers.filter((r) => r.decision !== "approved").map((r) => r.name);
  if (pm.reviewers.length === 0 || pending.length > 0) {
    throw new PostmortemNotApprovedError(
      `postmortem ${pm.id} still waits for ${pending.join(", ") || "reviewers"}`,
      {
        pending,
      },
    );
  }
  return { ...pm, status: "published", publishedAt: at, updatedAt: at };
}
