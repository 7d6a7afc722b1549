import type { Postmortem } from "./postmortem.js";
import { normalizeCauseTag, tokenize } from "./text-tokens.js";

interface IndexedDoc {
  readonly id: string;
  readonly title: string;
  readonly services: ReadonlySet<string>;
  readonly causes: ReadonlySet<string>;
  readonly length: number;
}

/** A small inverted index over published postmortems (build once, query many times). */
export interface PostmortemIndex {
  readonly docs: ReadonlyMap<string, IndexedDoc>;
  /** token → postmortem id → weighted term frequency */
  readonly postings: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Free text plus optional service and cause filters. */
export interface PostmortemQuery {
  readonly text?: string;
  readonly service?: string;
  readonly cause?: string;
  readonly limit?: number;
}

/** One ranked search result. */
export interface PostmortemHit {
  readonly postmortemId: string;
  readonly title: string;
  readonly score: number;
}

/** Title and cause words count more than body words. */
const FIELD_WEIGHTS = { title: 3, causes: 3, rootCauses: 2, body: 1 } as const;

function fields(pm: Postmortem): Array<readonly [number, string]> {
  return [
    [FIELD_WEIGHTS.title, pm.title],
    [FIELD_WEIGHTS.causes, pm.causeTags.join(" ")],
    [FIELD_WEIGHTS.rootCauses, pm.rootCauses],
    [
      FIELD_WEIGHTS.body,
      [
        pm.summary,
        pm.trigger,
        pm.detection,
        pm.resolution,
        pm.impact.description,
        ...pm.lessons.wentWell,
        ...pm.lessons.wentWrong,
        ...pm.lessons.gotLucky,
        ...pm.actionItems.map((a) => a.description),
      ].join("\n"),
    ],
  ];
}

/** Indexes the published postmortems; drafts and reviews stay out of search. */
export function buildPostmortemIndex(postmortems: readonly Postmortem[]): PostmortemIndex {
  const docs = new Map<string, IndexedDoc>();
  const postings = new Map<string, Map<string, number>>();
  for (const pm of postmortems) {
    if (pm.status !== "published") continue;
    let length = 0;
    for (const [weight, text] of fields(pm)) {
      for (const token of tokenize(text)) {
        length++;
        const list = postings.get(token) ?? new Map<string, number>();
        list.set(pm.id, (list.get(pm.id) ?? 0) + weight);
        postings.set(token, list);
      }
    }
    docs.set(pm.id, {
      id: pm.id,
      title: pm.title,
      services: new Set(pm.services),
      causes: new Set(pm.causeTags.map(normalizeCauseTag)),
      length,
    });
  }
  return { docs, postings };
}

/**
 * Ranks published postmortems by TF-IDF of the query words (log-scaled term frequency, weighted
 * by field), filtered by service and normalized cause tag. Without text, filtered postmortems
 * come back by id with score 0.
 */
export function searchPostmortems(index: PostmortemIndex, query: PostmortemQuery): PostmortemHit[] {
  const cause = query.cause !== undefined ? normalizeCauseTag(query.cause) : undefined;
  const candidates = [...index.docs.values()].filter(
    (d) =>
      (query.service === undefined || d.services.has(query.service)) &&
      (cause === undefined || d.causes.has(cause)),
  );
  const tokens = [...new Set(tokenize(query.text ?? ""))];
  const n = index.docs.size;
  const hits: PostmortemHit[] = [];
  for (const doc of candidates) {
    let score = 0;
    for (const token of tokens) {
      const list = index.postings.get(token);
      const tf = list?.get(doc.id);
      if (list === undefined || tf === undefined) continue;
      score += (1 + Math.log(tf)) * Math.log(1 + n / list.size);
    }
    if (tokens.length > 0 && score === 0) continue;
    hits.push({ postmortemId: doc.id, title: doc.title, score });
  }
  hits.sort((a, b) => b.score - a.score || a.postmortemId.localeCompare(b.postmortemId));
  return hits.slice(0, query.limit ?? 20);
}
