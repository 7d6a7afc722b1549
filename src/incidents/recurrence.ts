import { type ActionItem, openActionItems } from "./action-item.js";
import type { Postmortem } from "./postmortem.js";
import { normalizeCauseTag, textSimilarity } from "./text-tokens.js";

/** What is known about a new incident's cause. */
export interface RecurrenceQuery {
  readonly services: readonly string[];
  readonly causeTags: readonly string[];
  readonly rootCause?: string;
}

/** An earlier postmortem the new incident repeats. */
export interface Recurrence {
  readonly postmortemId: string;
  readonly incidentId: string;
  readonly title: string;
  readonly services: readonly string[];
  readonly matchedTags: readonly string[];
  /** Similarity of the root-cause texts, in [0, 1]. */
  readonly textSimilarity: number;
  /** The earlier postmortem's items still open: the fix that would have prevented this. */
  readonly openActionItems: readonly ActionItem[];
}

/**
 * Finds earlier published postmortems on the same service with the same cause (a shared
 * normalized cause tag, or root-cause text at least `minSimilarity` alike). SRE book ch. 30
 * uses postmortems to show that a piece of work fully removes an outage cause; a repeat with
 * open action items means those fixes have not landed yet.
 */
export function findRecurrences(
  query: RecurrenceQuery,
  postmortems: readonly Postmortem[],
  options: { readonly minSimilarity?: number } = {},
): Recurrence[] {
  const minSimilarity = options.minSimilarity ?? 0.5;
  const tags = new Set(query.causeTags.map(normalizeCauseTag));
  const services = new Set(query.services);
  const matches: Recurrence[] = [];
  for (const pm of postmortems) {
    if (pm.status !== "published" || !pm.services.some((s) => services.has(s))) continue;
    const matchedTags = [...new Set(pm.causeTags.map(normalizeCauseTag))].filter((t) => tags.has(t));
    const similarity = query.rootCause ? textSimilarity(query.rootCause, pm.rootCauses) : 0;
    if (matchedTags.length === 0 && similarity < minSimilarity) continue;
    matches.push({
      postmortemId: pm.id,
      incidentId: pm.incidentId,
      title: pm.title,
      services: pm.services,
      matchedTags,
      textSimilarity: similarity,
      openActionItems: openActionItems(pm.actionItems),
    });
  }
  return matches.sort(
    (a, b) =>
      b.matchedTags.length - a.matchedTags.length ||
      b.textSimilarity - a.textSimilarity ||
      a.postmortemId.localeCompare(b.postmortemId),
  );
}
