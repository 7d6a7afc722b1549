import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  approvePostmortem,
  commentOnPostmortem,
  createPostmortem,
  editPostmortem,
  type Postmortem,
  publishPostmortem,
  requestChanges,
  submitForReview,
} from "../../src/incidents/index.js";
import { DAY, MIN, T0 } from "./fixtures.js";

const draft = (): Postmortem =>
  createPostmortem({
    id: "pm-1",
    incidentId: "inc-1",
    title: "Checkout outage",
    authors: ["alice"],
    createdAt: T0,
  });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("postmortem review", () => {
  it("goes draft → in review → published once every named reviewer approved", () => {
    let pm = editPostmortem(draft(), "alice", { summary: "  Checkout failed for 20 min.  " }, T0 + MIN);
    expect(pm.summary).toBe("Checkout failed for 20 min.");
    pm = submitForReview(pm, "alice", ["bob", "carol"], T0 + 2 * MIN);
    expect(pm.status).toBe("in-review");
    pm = approvePostmortem(pm, "bob", T0 + 3 * MIN);
    expect(codeOf(() => publishPostmortem(pm, "alice", T0 + 4 * MIN))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_APPROVED",
    );
    pm = approvePostmortem(pm, "carol", T0 + 5 * MIN);
    pm = publishPostmortem(pm, "alice", T0 + 6 * MIN);
    expect(pm.status).toBe("published");
    expect(pm.publishedAt).toBe(T0 + 6 * MIN);
  });

  it("names the reviewers still pending when publishing too early", () => {
    const pm = approvePostmortem(submitForReview(draft(), "alice", ["bob", "carol"], T0), "bob", T0);
    try {
      publishPostmortem(pm, "alice", T0 + MIN);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ statusCode: 409, details: { pending: ["carol"] } });
    }
  });

  it("sends the postmortem back to draft when a reviewer requests changes, and restarts approvals on resubmit", () => {
    let pm = submitForReview(draft(), "alice", ["bob", "carol"], T0);
    pm = approvePostmortem(pm, "carol", T0 + MIN);
    pm = requestChanges(
      pm,
      "bob",
      "Root causes stop at the config; why did the check not catch it?",
      T0 + 2 * MIN,
    );
    expect(pm.status).toBe("draft");
    expect(pm.reviewers).toEqual([
      { name: "bob", decision: "changes-requested" },
      { name: "carol", decision: "approved" },
    ]);
    expect(pm.comments).toMatchObject([{ id: "c1", author: "bob", kind: "changes-requested" }]);
    pm = editPostmortem(pm, "alice", { rootCauses: "The config validator skipped YAML anchors." }, T0 + DAY);
    pm = submitForReview(pm, "alice", ["bob", "carol"], T0 + DAY + MIN);
    expect(pm.reviewers.every((r) => r.decision === "pending")).toBe(true);
  });

  it("lets only authors edit, and only drafts", () => {
    expect(codeOf(() => editPostmortem(draft(), "mallory", { summary: "x" }, T0))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_AUTHOR",
    );
    const inReview = submitForReview(draft(), "alice", ["bob"], T0);
    expect(codeOf(() => editPostmortem(inReview, "alice", { summary: "x" }, T0))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_EDITABLE",
    );
  });

  it("lets only named reviewers approve or request changes", () => {
    const pm = submitForReview(draft(), "alice", ["bob"], T0);
    expect(codeOf(() => approvePostmortem(pm, "mallory", T0))).toBe("NINES_ERR_POSTMORTEM_NOT_REVIEWER");
    expect(codeOf(() => requestChanges(pm, "alice", "self review", T0))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_REVIEWER",
    );
  });

  it("needs at least one reviewer who is not an author", () => {
    expect(codeOf(() => submitForReview(draft(), "alice", [], T0))).toBe(
      "NINES_ERR_POSTMORTEM_REVIEWERS_INVALID",
    );
    expect(codeOf(() => submitForReview(draft(), "alice", ["alice"], T0))).toBe(
      "NINES_ERR_POSTMORTEM_REVIEWERS_INVALID",
    );
    expect(codeOf(() => submitForReview(draft(), "bob", ["carol"], T0))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_AUTHOR",
    );
  });

  it("rejects review actions in the wrong status with a coded error", () => {
    expect(codeOf(() => approvePostmortem(draft(), "bob", T0))).toBe(
      "NINES_ERR_POSTMORTEM_TRANSITION_ILLEGAL",
    );
    expect(codeOf(() => publishPostmortem(draft(), "alice", T0))).toBe(
      "NINES_ERR_POSTMORTEM_TRANSITION_ILLEGAL",
    );
    const published = publishPostmortem(
      approvePostmortem(submitForReview(draft(), "alice", ["bob"], T0), "bob", T0),
      "alice",
      T0,
    );
    expect(codeOf(() => submitForReview(published, "alice", ["bob"], T0))).toBe(
      "NINES_ERR_POSTMORTEM_TRANSITION_ILLEGAL",
    );
    expect(codeOf(() => editPostmortem(published, "alice", { summary: "x" }, T0))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_EDITABLE",
    );
    expect(codeOf(() => commentOnPostmortem(published, { author: "bob", at: T0, text: "late" }))).toBe(
      "NINES_ERR_POSTMORTEM_TRANSITION_ILLEGAL",
    );
  });

  it("takes comments from authors and reviewers only", () => {
    let pm = submitForReview(draft(), "alice", ["bob"], T0);
    pm = commentOnPostmortem(pm, { author: "bob", at: T0 + MIN, text: "Add the graph", section: "impact" });
    expect(pm.comments).toEqual([
      { id: "c1", author: "bob", at: T0 + MIN, kind: "comment", text: "Add the graph", section: "impact" },
    ]);
    expect(codeOf(() => commentOnPostmortem(pm, { author: "eve", at: T0, text: "hi" }))).toBe(
      "NINES_ERR_POSTMORTEM_NOT_REVIEWER",
    );
  });

  it("rejects an edit whose action item links to a non-http issue URL", () => {
    const item = {
      id: "ai-1",
      postmortemId: "pm-1",
      description: "Validate configs",
      type: "prevent" as const,
      owner: "bob",
      priority: "P1" as const,
      dueAt: T0 + DAY,
      status: "open" as const,
      issueUrl: "javascript:alert(1)",
    };
    try {
      editPostmortem(draft(), "alice", { actionItems: [item] }, T0);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: "NINES_ERR_POSTMORTEM_ACTION_ITEM_INVALID",
        details: { errors: [{ path: "actionItems[0].issueUrl" }] },
      });
    }
  });

  it("is never published unless every reviewer approved (property over random action sequences)", () => {
    const people = ["alice", "bob", "carol", "eve"];
    const action = fc.record({
      kind: fc.constantFrom("edit", "submit", "approve", "request", "publish"),
      who: fc.constantFrom(...people),
      reviewers: fc.subarray(people),
    });
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        let pm = draft();
        let at = T0;
        for (const a of actions) {
          at += MIN;
          try {
            if (a.kind === "edit") pm = editPostmortem(pm, a.who, { summary: `edit ${at}` }, at);
            if (a.kind === "submit") pm = submitForReview(pm, a.who, a.reviewers, at);
            if (a.kind === "approve") pm = approvePostmortem(pm, a.who, at);
            if (a.kind === "request") pm = requestChanges(pm, a.who, "more", at);
            if (a.kind === "publish") pm = publishPostmortem(pm, a.who, at);
          } catch (error) {
            expect((error as { code: string }).code).toMatch(/^NINES_ERR_POSTMORTEM_/);
          }
          if (pm.status === "published") {
            expect(pm.reviewers.length).toBeGreaterThan(0);
            expect(pm.reviewers.every((r) => r.decision === "approved")).toBe(true);
            expect(pm.reviewers.some((r) => pm.authors.includes(r.name))).toBe(false);
          }
        }
      }),
    );
  });
});
