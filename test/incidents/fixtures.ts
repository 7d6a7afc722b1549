import fc from "fast-check";
import {
  type ActionItem,
  createIncident,
  type Incident,
  type NewIncident,
  type Postmortem,
  type PostmortemStatus,
  transitionIncident,
} from "../../src/incidents/index.js";

export const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function newIncident(overrides: Partial<NewIncident> = {}): Incident {
  return createIncident({
    id: "inc-1",
    title: "Checkout returns 5xx",
    severity: "SEV3",
    openedAt: T0,
    openedBy: "alice",
    detection: { source: "page", at: T0, ref: "page-1" },
    services: ["checkout"],
    ...overrides,
  });
}

/** An incident resolved `durationMs` after it opened, with no other facts. */
export function resolvedIncident(durationMs: number, overrides: Partial<NewIncident> = {}): Incident {
  return transitionIncident(newIncident(overrides), "resolved", { at: T0 + durationMs, by: "alice" });
}

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9'’,:;()"?!&*_#\\|\][.-]{0,11}$/);
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((ws) => ws.join(" "));
const optionalLine = fc.oneof(fc.constant(""), line);
/** Multi-line prose, including lines that start with "#", "-" or "|" and blank lines. */
const prose = fc
  .array(
    fc.oneof(
      line,
      fc.constant(""),
      line.map((l) => `# ${l}`),
      line.map((l) => `- ${l}`),
      line.map((l) => `\\#${l}`),
    ),
    {
      maxLength: 6,
    },
  )
  .map((ls) => ls.join("\n").trim());
const time = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) });
const name = fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/);
const url = fc
  .tuple(
    fc.constantFrom("http", "https"),
    fc.stringMatching(/^[a-z0-9]{1,12}$/),
    fc.stringMatching(/^[a-zA-Z0-9/_.~%()=&?-]{0,20}$/),
  )
  .map(([scheme, host, path]) => `${scheme}://${host}.example/${path}`);

function actionItem(postmortemId: string): fc.Arbitrary<ActionItem> {
  return fc.record(
    {
      id: name,
      postmortemId: fc.constant(postmortemId),
      description: line,
      type: fc.constantFrom("mitigate", "prevent", "detect", "process"),
      owner: name,
      priority: fc.constantFrom("P0", "P1", "P2", "P3"),
      dueAt: time,
      status: fc.constantFrom("open", "in-progress", "done", "wont-do"),
      issueUrl: url,
      service: name,
      team: name,
    },
    { requiredKeys: ["id", "postmortemId", "description", "type", "owner", "priority", "dueAt", "status"] },
  );
}

/** Postmortems in their normalized (stored) form, for the Markdown round trip. */
export const postmortemArbitrary: fc.Arbitrary<Postmortem> = name.chain((id) =>
  fc.record(
    {
      id: fc.constant(id),
      incidentId: name,
      title: line,
      status: fc.constantFrom<PostmortemStatus>("draft", "in-review", "published"),
      authors: fc.array(name, { minLength: 1, maxLength: 3 }),
      reviewers: fc.array(
        fc.record({ name, decision: fc.constantFrom("pending", "approved", "changes-requested") }),
        { maxLength: 3 },
      ),
      comments: fc.array(
        fc.record(
          {
            id: name,
            author: name,
            at: time,
            kind: fc.constantFrom("comment", "changes-requested", "blamelessness"),
            text: prose,
            section: name,
            quote: line,
            start: fc.nat(500),
            end: fc.nat(500),
          },
          { requiredKeys: ["id", "author", "at", "kind", "text"] },
        ),
        { maxLength: 2 },
      ),
      createdAt: time,
      updatedAt: time,
      publishedAt: time,
      services: fc.array(name, { maxLength: 3 }),
      causeTags: fc.array(name, { maxLength: 3 }),
      summary: prose,
      impact: fc.record({
        users: optionalLine,
        durationMs: fc.nat(40 * DAY),
        budgetConsumed: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0, 0.1, 1e-7)),
        description: prose,
      }),
      rootCauses: prose,
      trigger: prose,
      detection: prose,
      resolution: prose,
      actionItems: fc.array(actionItem(id), { maxLength: 4 }),
      lessons: fc.record({
        wentWell: fc.array(line, { maxLength: 3 }),
        wentWrong: fc.array(line, { maxLength: 3 }),
        gotLucky: fc.array(line, { maxLength: 3 }),
      }),
      timeline: fc.array(fc.record({ at: time, text: optionalLine }), { maxLength: 5 }),
      links: fc.array(fc.record({ title: optionalLine, url }), { maxLength: 3 }),
      extraSections: fc.array(fc.record({ heading: line.map((l) => `Notes ${l}`), body: prose }), {
        maxLength: 2,
      }),
    },
    {
      requiredKeys: [
        "id",
        "incidentId",
        "title",
        "status",
        "authors",
        "reviewers",
        "comments",
        "createdAt",
        "updatedAt",
        "services",
        "causeTags",
        "summary",
        "impact",
        "rootCauses",
        "trigger",
        "detection",
        "resolution",
        "actionItems",
        "lessons",
        "timeline",
        "links",
        "extraSections",
      ],
    },
  ),
);
