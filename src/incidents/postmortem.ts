import type { ActionItem } from "./action-item.js";
import { assertUtcMs } from "./assert-utc-ms.js";
import type { Incident } from "./incident.js";
import type { TimelineEvent } from "./timeline.js";

export type PostmortemStatus = "draft" | "in-review" | "published";
export type ReviewDecision = "pending" | "approved" | "changes-requested";

/** A named reviewer and their current decision. */
export interface Reviewer {
  readonly name: string;
  readonly decision: ReviewDecision;
}

/** A review comment; blamelessness findings are comments of kind "blamelessness", never blockers. */
export interface ReviewComment {
  readonly id: string;
  readonly author: string;
  readonly at: number;
  readonly kind: "comment" | "changes-requested" | "blamelessness";
  readonly text: string;
  /** Template section the comment is about, e.g. "rootCauses". */
  readonly section?: string;
  /** The flagged sentence and its character range within the section text. */
  readonly quote?: string;
  readonly start?: number;
  readonly end?: number;
}

/** Impact section: who, how long, how much budget, and a description. */
export interface PostmortemImpact {
  /** Who was affected, e.g. "12% of checkout requests in eu-west". One line. */
  readonly users: string;
  readonly durationMs: number;
  /** Fraction of the error budget consumed. */
  readonly budgetConsumed: number;
  readonly description: string;
}

/** Lessons learned, in the three lists of SRE book ch. 15's example postmortem. */
export interface Lessons {
  readonly wentWell: readonly string[];
  readonly wentWrong: readonly string[];
  readonly gotLucky: readonly string[];
}

export interface PostmortemTimelineEntry {
  readonly at: number;
  readonly text: string;
}

export interface SupportingLink {
  readonly title: string;
  readonly url: string;
}

/** A section an author added that is not part of the template; kept verbatim. */
export interface ExtraSection {
  readonly heading: string;
  readonly body: string;
}

/** The free-text template sections. */
export const TEXT_SECTIONS = ["summary", "rootCauses", "trigger", "detection", "resolution"] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number];

/** A blameless postmortem (SRE book ch. 15 template and appendix D). Times are UTC ms. */
export interface Postmortem {
  readonly id: string;
  readonly incidentId: string;
  readonly title: string;
  readonly status: PostmortemStatus;
  readonly authors: readonly string[];
  readonly reviewers: readonly Reviewer[];
  readonly comments: readonly ReviewComment[];
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly publishedAt?: number;
  readonly services: readonly string[];
  readonly causeTags: readonly string[];
  readonly summary: string;
  readonly impact: PostmortemImpact;
  readonly rootCauses: string;
  readonly trigger: string;
  readonly detection: string;
  readonly resolution: string;
  readonly actionItems: readonly ActionItem[];
  readonly lessons: Lessons;
  readonly timeline: readonly PostmortemTimelineEntry[];
  readonly links: readonly SupportingLink[];
  readonly extraSections: readonly ExtraSection[];
}

/** Trims text and turns CRLF into LF, the stored form of every free-text field. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

/** One-line fields (list items, table cells, titles) keep no line breaks. */
export function normalizeLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** What starting a postmortem needs. */
export interface NewPostmortem {
  readonly id: string;
  readonly incidentId: string;
  readonly title: string;
  readonly authors: readonly string[];
  readonly createdAt: number;
  readonly services?: readonly string[];
  readonly causeTags?: readonly string[];
}

/** An empty draft postmortem. */
export function createPostmortem(input: NewPostmortem): Postmortem {
  assertUtcMs(input.createdAt, "createdAt");
  return {
    id: input.id,
    incidentId: input.incidentId,
    title: normalizeLine(input.title),
    status: "draft",
    authors: [...input.authors],
    reviewers: [],
    comments: [],
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    services: [...(input.services ?? [])],
    causeTags: [...(input.causeTags ?? [])],
    summary: "",
    impact: { users: "", durationMs: 0, budgetConsumed: 0, description: "" },
    rootCauses: "",
    trigger: "",
    detection: "",
    resolution: "",
    actionItems: [],
    lessons: { wentWell: [], wentWrong: [], gotLucky: [] },
    timeline: [],
    links: [],
    extraSections: [],
  };
}

/**
 * A draft prefilled from a resolved incident: title, services, causes, impact, detection and
 * the merged timeline, so authors start from facts rather than memory.
 */
export function draftPostmortemFromIncident(
  incident: Incident,
  timeline: readonly TimelineEvent[],
  meta: { readonly id: string; readonly authors: readonly string[]; readonly at: number },
): Postmortem {
  const base = createPostmortem({
    id: meta.id,
    incidentId: incident.id,
    title: incident.title,
    authors: meta.authors,
    createdAt: meta.at,
    services: incident.services,
    causeTags: incident.causeTags,
  });
  const budget = Math.max(0, ...incident.budgetConsumed.map((c) => c.fraction));
  const d = incident.detection;
  return {
    ...base,
    impact: {
      users:
        incident.customerImpact.usersAffected !== undefined
          ? `${incident.customerImpact.usersAffected} users`
          : incident.customerImpact.userVisible
            ? "users of " + incident.services.join(", ")
            : "no user-visible impact",
      durationMs: incident.customerImpact.userVisibleDurationMs,
      budgetConsumed: budget,
      description: normalizeText(incident.customerImpact.description),
    },
    detection: `Detected by ${d.source}${d.ref ? ` (${d.ref})` : ""} at ${new Date(d.at).toISOString()}.`,
    timeline: timeline.map((e) => ({
      at: e.at,
      text: normalizeLine(e.actor ? `${e.text} (${e.actor})` : e.text),
    })),
  };
}
