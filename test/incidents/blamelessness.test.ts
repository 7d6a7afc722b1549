import { describe, expect, it } from "vitest";
import {
  approvePostmortem,
  blamelessnessComments,
  checkBlamelessness,
  commentOnPostmortem,
  createPostmortem,
  editPostmortem,
  publishPostmortem,
  submitForReview,
} from "../../src/incidents/index.js";
import { T0 } from "./fixtures.js";

const PEOPLE = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank"];

/** Sentences a reviewer would flag as blaming a person. */
const BLAMING = [
  "Alice broke the deploy.",
  "Bob forgot to run the database migration.",
  "The outage was caused by Carol's mistake.",
  "He failed to check the dashboard before pushing.",
  "Dave carelessly pushed the change to all regions.",
  "This was human error.",
  "It was the fault of the on-call engineer.",
  "Erin didn't test the rollback path.",
  "She ignored the warning in the runbook.",
  "The incident was caused by Frank.",
  "They should have known better than to deploy on a Friday.",
  "Bob accidentally deleted the production table.",
  "The engineer misconfigured the load balancer.",
  "Alice's bad config took down checkout.",
  "Someone pushed a bad config.",
];

/** Blameless sentences that must not be flagged (precision). */
const BLAMELESS = [
  "The deploy script did not check the config.",
  "Alice rolled back the release at 14:02.",
  "Bob paged the database team at 14:05.",
  "The on-call engineer noticed the error rate rising.",
  "Their error budget was exhausted by 15:00.",
  "The release broke the checkout flow because the canary ignored 5xx responses.",
  "Carol restarted the pods, which restored service.",
  "The config change caused the outage.",
  "Dave mitigated the outage by draining traffic from us-east.",
  "Missing alerting on queue depth delayed detection by 40 minutes.",
  "The runbook did not say which flag to flip.",
  "The failure was caused by a race in the cache layer.",
  "Erin wrote the fix and Frank reviewed it.",
  "The migration tool allowed a destructive change without confirmation.",
  "Their errors were retried three times.",
  "They failed over to the secondary region.",
  "Bob's quick rollback limited the damage.",
  "Carol noticed that the canary had failed to report.",
  "The alert missed the slow burn because the window was 1 h.",
];

describe("blamelessness check", () => {
  it("flags every blaming sentence in the labelled set (recall)", () => {
    const missed = BLAMING.filter((s) => checkBlamelessness(s, PEOPLE).length === 0);
    expect(missed).toEqual([]);
  });

  it("flags none of the blameless sentences (precision)", () => {
    const flagged = BLAMELESS.filter((s) => checkBlamelessness(s, PEOPLE).length > 0);
    expect(flagged).toEqual([]);
  });

  it("reports the sentence, its position and a rewording hint", () => {
    const text = "Checkout failed at 14:00. Bob forgot to run the migration. Alice rolled back at 14:02.";
    const [finding, ...rest] = checkBlamelessness(text, PEOPLE);
    expect(rest).toEqual([]);
    expect(finding?.sentence).toBe("Bob forgot to run the migration.");
    expect(text.slice(finding?.start, finding?.end)).toBe(finding?.sentence);
    expect(finding?.rules).toEqual(["person-blame"]);
    expect(finding?.match).toBe("Bob forgot");
    expect(finding?.hint).toMatch(/system/);
  });

  it("names every rule a sentence breaks", () => {
    const [finding] = checkBlamelessness("Caused by Carol's careless mistake.", PEOPLE);
    expect(finding?.rules).toEqual(["blame-attribution", "blame-word"]);
  });

  it("does not flag names it was not given unless blame words appear", () => {
    expect(checkBlamelessness("Zed broke the deploy.", PEOPLE)).toEqual([]);
    expect(checkBlamelessness("Zed broke the deploy.", ["Zed"])).toHaveLength(1);
    expect(checkBlamelessness("Zed was careless.", [])).toHaveLength(1);
  });

  it("turns findings into review comments that never block publishing", () => {
    let pm = createPostmortem({
      id: "pm-1",
      incidentId: "inc-1",
      title: "Outage",
      authors: ["alice"],
      createdAt: T0,
    });
    pm = editPostmortem(
      pm,
      "alice",
      {
        summary: "Checkout was down for 20 minutes.",
        rootCauses: "Bob forgot to run the migration.\nThe schema check was missing.",
      },
      T0,
    );
    pm = submitForReview(pm, "alice", ["carol"], T0 + 1);
    const comments = blamelessnessComments(pm, PEOPLE, { author: "carol", at: T0 + 2 });
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({
      kind: "blamelessness",
      section: "rootCauses",
      quote: "Bob forgot to run the migration.",
      start: 0,
      end: 32,
    });
    for (const c of comments) pm = commentOnPostmortem(pm, c);
    pm = publishPostmortem(approvePostmortem(pm, "carol", T0 + 3), "alice", T0 + 4);
    expect(pm.status).toBe("published");
  });
});
