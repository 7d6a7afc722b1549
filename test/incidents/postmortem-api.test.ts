import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { api, type Caller, caller, HOUR, MINUTE, sloWithErrors } from "./api-helpers.js";

const DAY = 24 * HOUR;

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(`postmortem API on ${dialect}`, () => {
    let t: TestApp;
    let call: ReturnType<typeof api>;
    let alice: Caller;
    let mallory: Caller;
    let bob: Caller;
    let carol: Caller;
    let incidentId: string;
    let pmId: string;
    const now = Date.now();

    beforeAll(async () => {
      t = await createTestApp({}, dialect);
      call = api(t);
      alice = await caller(t, "alice", "write");
      mallory = await caller(t, "mallory", "write");
      bob = await caller(t, "bob", "read");
      carol = await caller(t, "carol", "read");
      await sloWithErrors(t, alice, {
        service: "checkout",
        from: now - 40 * MINUTE,
        to: now - 10 * MINUTE,
        errorRatio: 0.2,
      });
      const declared = await call("POST", "/api/v1/incidents", alice, {
        title: "Checkout 5xx after config push",
        severity: "SEV2",
        services: ["checkout"],
        fromPageId: "page-9",
        impactStartedAt: now - 40 * MINUTE,
        causeTags: ["bad-config-push"],
        commander: "alice",
      });
      incidentId = declared.body.id;
      await call("PATCH", `/api/v1/incidents/${incidentId}`, alice, {
        status: "mitigated",
        note: "config reverted",
      });
      await call("POST", `/api/v1/incidents/${incidentId}/resolve`, alice, {});
    });
    afterAll(() => t.close());

    it("starts a draft from the template with impact filled from the incident and its SLO data", async () => {
      const created = await call("POST", `/api/v1/incidents/${incidentId}/postmortem`, alice, {});
      expect(created.status).toBe(201);
      const pm = created.body;
      pmId = pm.id;
      expect(pm).toMatchObject({
        incidentId,
        title: "Checkout 5xx after config push",
        status: "draft",
        authors: ["alice"],
        services: ["checkout"],
        causeTags: ["bad-config-push"],
      });
      expect(pm.requiredBy.map((r: { ruleId: string }) => r.ruleId)).toEqual(["severity"]);
      // 20% errors on a 0.1% budget (burn rate 200) for 30 minutes of 30 days ≈ 13.9%.
      expect(pm.impact.budgetConsumed).toBeGreaterThan(0.12);
      expect(pm.impact.budgetConsumed).toBeLessThan(0.16);
      expect(pm.impact.durationMs).toBeGreaterThanOrEqual(40 * MINUTE);
      expect(pm.detection).toContain("page-9");
      expect(pm.timeline.map((e: { text: string }) => e.text).join("\n")).toContain(
        "Status investigating → mitigated",
      );
      const again = await call("POST", `/api/v1/incidents/${incidentId}/postmortem`, alice, {});
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        code: "NINES_ERR_POSTMORTEM_EXISTS",
        details: { postmortemId: pmId },
      });
      expect((await call("GET", `/api/v1/incidents/${incidentId}/postmortem`)).body.id).toBe(pmId);
      expect((await call("GET", `/api/v1/incidents/${incidentId}`)).body.incident.postmortem).toEqual({
        id: pmId,
        status: "draft",
      });
    });

    it("lets only its authors with a write token edit the draft", async () => {
      const edit = {
        summary: "For 30 minutes 20% of checkout requests failed after a config push.",
        rootCauses:
          "Bob forgot to validate the config. The deploy tool accepts configs without a schema check.",
        trigger: "A config push at 14:02 set the pool size to 0.",
        resolution: "The config was reverted.",
        lessons: {
          wentWell: ["Rollback took 3 minutes"],
          wentWrong: ["No config validation"],
          gotLucky: ["Low traffic"],
        },
        actionItems: [
          {
            id: "new-1",
            description: "Validate configs against a schema",
            type: "prevent",
            owner: "dave",
            priority: "P1",
            dueAt: now + 7 * DAY,
            status: "open",
            team: "platform",
          },
          {
            id: "new-2",
            description: "Alert on pool size 0",
            type: "detect",
            owner: "erin",
            priority: "P2",
            dueAt: now - DAY,
            status: "open",
          },
        ],
      };
      expect((await call("PUT", `/api/v1/postmortems/${pmId}`, bob, edit)).status).toBe(403);
      const notAuthor = await call("PUT", `/api/v1/postmortems/${pmId}`, mallory, edit);
      expect(notAuthor.status).toBe(403);
      expect(notAuthor.body.error.code).toBe("NINES_ERR_POSTMORTEM_NOT_AUTHOR");
      const edited = await call("PUT", `/api/v1/postmortems/${pmId}`, alice, edit);
      expect(edited.status).toBe(200);
      expect(edited.body.summary).toBe(edit.summary);
      expect(
        edited.body.actionItems.map((a: { id: string; postmortemId: string; service?: string }) => [
          a.id.startsWith("ai-"),
          a.postmortemId,
          a.service,
        ]),
      ).toEqual([
        [true, pmId, undefined],
        [true, pmId, undefined],
      ]);
      const bad = await call("PUT", `/api/v1/postmortems/${pmId}`, alice, {
        actionItems: [{ ...edit.actionItems[0], priority: "P9" }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain(
        "body.actionItems[0].priority",
      );
      const badUrl = await call("PUT", `/api/v1/postmortems/${pmId}`, alice, {
        links: [{ title: "x", url: "javascript:alert(1)" }],
      });
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.error.details[0].path).toBe("body.links[0].url");
      expect((await call("GET", `/api/v1/postmortems/${pmId}`)).body.actionItems).toHaveLength(2);
    });

    it("exports Markdown and imports it back unchanged, then applies an edited copy", async () => {
      const before = (await call("GET", `/api/v1/postmortems/${pmId}`)).body;
      const exported = await t.app.inject({ method: "GET", url: `/api/v1/postmortems/${pmId}/markdown` });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers["content-type"]).toContain("text/markdown");
      const md = exported.body;
      expect(md).toContain("## Root causes");
      const same = await call("PUT", `/api/v1/postmortems/${pmId}/markdown`, alice, { markdown: md });
      expect(same.status).toBe(200);
      const { updatedAt: _a, ...restBefore } = before;
      const { updatedAt: _b, ...restAfter } = same.body.postmortem;
      expect(restAfter).toEqual(restBefore);
      expect(same.body.warnings).toEqual([]);

      const edited = md
        .replace("The config was reverted.", "The config was reverted by the deploy tool's rollback.")
        .replace(
          "## Supporting links",
          "## Customer communication\n\nStatus page updated at 14:10.\n\n## Supporting links",
        );
      const applied = await call("PUT", `/api/v1/postmortems/${pmId}/markdown`, alice, { markdown: edited });
      expect(applied.status).toBe(200);
      expect(applied.body.postmortem.resolution).toBe(
        "The config was reverted by the deploy tool's rollback.",
      );
      expect(applied.body.unknownSections).toEqual(["Customer communication"]);
      expect(applied.body.postmortem.actionItems.map((a: { id: string }) => a.id)).toEqual(
        before.actionItems.map((a: { id: string }) => a.id),
      );

      const broken = await call("PUT", `/api/v1/postmortems/${pmId}/markdown`, alice, {
        markdown: "# no front matter",
      });
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe("NINES_ERR_POSTMORTEM_MARKDOWN_INVALID");
      expect(broken.body.error.details.field).toBe("frontMatter");
      const byReader = await call("PUT", `/api/v1/postmortems/${pmId}/markdown`, bob, { markdown: edited });
      expect(byReader.status).toBe(403);
    });

    it("walks the review: blamelessness flags as comments, changes requested, approval, publication", async () => {
      const noReviewer = await call("POST", `/api/v1/postmortems/${pmId}/submit`, alice, {
        reviewers: ["alice"],
      });
      expect(noReviewer.status).toBe(400);
      expect(noReviewer.body.error.code).toBe("NINES_ERR_POSTMORTEM_REVIEWERS_INVALID");

      const submitted = await call("POST", `/api/v1/postmortems/${pmId}/submit`, alice, {
        reviewers: ["bob"],
      });
      expect(submitted.status).toBe(200);
      expect(submitted.body.status).toBe("in-review");
      expect(submitted.body.reviewers).toEqual([{ name: "bob", decision: "pending" }]);
      const flags = submitted.body.comments.filter((c: { kind: string }) => c.kind === "blamelessness");
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({
        author: "nines",
        section: "rootCauses",
        quote: "Bob forgot to validate the config.",
      });

      const locked = await call("PUT", `/api/v1/postmortems/${pmId}`, alice, { summary: "x" });
      expect(locked.status).toBe(409);
      expect(locked.body.error.code).toBe("NINES_ERR_POSTMORTEM_NOT_EDITABLE");
      const early = await call("POST", `/api/v1/postmortems/${pmId}/publish`, alice);
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({
        code: "NINES_ERR_POSTMORTEM_NOT_APPROVED",
        details: { pending: ["bob"] },
      });
      const outsider = await call("POST", `/api/v1/postmortems/${pmId}/reviews`, carol, {
        decision: "approve",
      });
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.code).toBe("NINES_ERR_POSTMORTEM_NOT_REVIEWER");
      const author = await call("POST", `/api/v1/postmortems/${pmId}/reviews`, alice, {
        decision: "approve",
      });
      expect(author.status).toBe(403);
      const anonymous = await call("POST", `/api/v1/postmortems/${pmId}/reviews`, undefined, {
        decision: "approve",
      });
      expect(anonymous.status).toBe(401);

      const changes = await call("POST", `/api/v1/postmortems/${pmId}/reviews`, bob, {
        decision: "request-changes",
        comment: "Please reword the root cause around the missing check.",
      });
      expect(changes.status).toBe(200);
      expect(changes.body.status).toBe("draft");
      expect(changes.body.reviewers).toEqual([{ name: "bob", decision: "changes-requested" }]);

      const reworded = await call("PUT", `/api/v1/postmortems/${pmId}`, alice, {
        rootCauses: "The deploy tool accepts configs without a schema check.",
      });
      expect(reworded.status).toBe(200);
      const resubmitted = await call("POST", `/api/v1/postmortems/${pmId}/submit`, alice, {
        reviewers: ["bob"],
      });
      expect(resubmitted.body.reviewers).toEqual([{ name: "bob", decision: "pending" }]);
      expect(
        resubmitted.body.comments.filter((c: { kind: string }) => c.kind === "blamelessness"),
      ).toHaveLength(1);

      const approved = await call("POST", `/api/v1/postmortems/${pmId}/reviews`, bob, {
        decision: "approve",
        comment: "Thanks",
      });
      expect(approved.body.reviewers).toEqual([{ name: "bob", decision: "approved" }]);
      expect((await call("POST", `/api/v1/postmortems/${pmId}/publish`, mallory)).status).toBe(403);
      const published = await call("POST", `/api/v1/postmortems/${pmId}/publish`, alice);
      expect(published.status).toBe(200);
      expect(published.body.status).toBe("published");
      expect(published.body.publishedAt).toEqual(expect.any(Number));
      const stored = await t.database.handle.db.selectFrom("postmortem_reviewers").selectAll().execute();
      expect(stored.map((r) => [r.name, r.decision, r.decided_at !== null])).toEqual([
        ["bob", "approved", true],
      ]);
    });

    it("finds published postmortems by text, service and cause", async () => {
      const byText = await call("GET", "/api/v1/postmortems/search?q=schema%20check");
      expect(byText.body.map((h: { postmortemId: string }) => h.postmortemId)).toEqual([pmId]);
      expect(byText.body[0]).toMatchObject({ incidentId, services: ["checkout"] });
      expect((await call("GET", "/api/v1/postmortems/search?cause=Bad%20Config%20Pushes")).body).toHaveLength(
        1,
      );
      expect((await call("GET", "/api/v1/postmortems/search?service=search")).body).toHaveLength(0);
      expect((await call("GET", "/api/v1/postmortems/search?q=kubernetes")).body).toHaveLength(0);
      expect(
        (await call("GET", "/api/v1/postmortems?status=published")).body.map((p: { id: string }) => p.id),
      ).toEqual([pmId]);
    });

    it("links a new incident on the same service and cause to the earlier postmortem and its open items", async () => {
      const declared = await call("POST", "/api/v1/incidents", alice, {
        title: "Checkout errors again",
        severity: "SEV3",
        services: ["checkout"],
        causeTags: ["bad_config_pushes"],
      });
      expect(declared.body.relatedPostmortems).toHaveLength(1);
      expect(declared.body.relatedPostmortems[0]).toMatchObject({
        postmortemId: pmId,
        incidentId,
        matchedTags: ["bad-config-push"],
      });
      expect(
        declared.body.relatedPostmortems[0].openActionItems.map(
          (a: { description: string }) => a.description,
        ),
      ).toEqual(["Alert on pool size 0", "Validate configs against a schema"]);
      const detail = await call("GET", `/api/v1/incidents/${declared.body.id}`);
      expect(
        detail.body.timeline.some((e: { text: string }) =>
          e.text.startsWith(`Recurrence: same service and cause`),
        ),
      ).toBe(true);
      const unrelated = await call("POST", "/api/v1/incidents", alice, {
        title: "Other",
        severity: "SEV4",
        services: ["checkout"],
        causeTags: ["disk full"],
      });
      expect(unrelated.body.relatedPostmortems).toEqual([]);
    });

    it("tracks action items: add, move, overdue list and completion rates per service and team", async () => {
      const added = await call("POST", "/api/v1/action-items", alice, {
        postmortemId: pmId,
        description: "Write the config runbook",
        type: "process",
        owner: "frank",
        priority: "P3",
        dueAt: now + 3 * DAY,
        team: "platform",
        issueUrl: "https://issues.example.com/CHK-12",
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ status: "open", service: "checkout", postmortemId: pmId });
      const badUrl = await call("POST", "/api/v1/action-items", alice, {
        ...added.body,
        id: undefined,
        postmortemId: pmId,
        status: undefined,
        issueUrl: "ftp://x",
      });
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.error.details.map((d: { path: string }) => d.path)).toContain("body.issueUrl");
      expect((await call("POST", "/api/v1/action-items", bob, { ...added.body })).status).toBe(403);

      const done = await call("PATCH", `/api/v1/action-items/${added.body.id}`, alice, {
        status: "done",
        issueUrl: null,
      });
      expect(done.body.status).toBe("done");
      expect(done.body.issueUrl).toBeUndefined();
      const illegal = await call("PATCH", `/api/v1/action-items/${added.body.id}`, alice, {
        status: "in-progress",
      });
      expect(illegal.status).toBe(409);
      expect(illegal.body.error.code).toBe("NINES_ERR_POSTMORTEM_ACTION_ITEM_TRANSITION_ILLEGAL");
      expect((await call("PATCH", "/api/v1/action-items/ai-99999", alice, { status: "done" })).status).toBe(
        404,
      );

      const overdue = await call("GET", "/api/v1/action-items/overdue");
      expect(overdue.body.map((a: { description: string }) => a.description)).toEqual([
        "Alert on pool size 0",
      ]);
      const stats = await call("GET", "/api/v1/action-items/stats");
      expect(stats.body.byService).toEqual([
        { key: "(none)", total: 2, done: 0, wontDo: 0, open: 2, rate: 0 },
        { key: "checkout", total: 1, done: 1, wontDo: 0, open: 0, rate: 1 },
      ]);
      expect(stats.body.byTeam.find((r: { key: string }) => r.key === "platform")).toMatchObject({
        total: 2,
        done: 1,
        rate: 0.5,
      });
      const open = await call("GET", "/api/v1/action-items?status=open");
      expect(open.body).toHaveLength(2);
      const byTeam = await call("GET", "/api/v1/action-items?team=platform");
      expect(byTeam.body).toHaveLength(2);
    });

    it("lists required postmortems that are past due and not published", async () => {
      const declared = await call("POST", "/api/v1/incidents", alice, {
        title: "Data loss in ledger",
        severity: "SEV1",
        services: ["ledger"],
        customerImpact: { dataLoss: true },
      });
      await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, alice, {});
      // Due in five days: not overdue yet.
      expect((await call("GET", "/api/v1/postmortems/overdue")).body).toEqual([]);
      await t.database.handle.db
        .updateTable("incidents")
        .set({ postmortem_due_at: now - HOUR })
        .where("title", "=", "Data loss in ledger")
        .execute();
      const overdue = (await call("GET", "/api/v1/postmortems/overdue")).body;
      expect(overdue).toHaveLength(1);
      expect(overdue[0]).toMatchObject({
        incidentId: declared.body.id,
        title: "Data loss in ledger",
        postmortem: null,
      });
      expect(overdue[0].triggers.map((x: { ruleId: string }) => x.ruleId)).toContain("data-loss");
      // The published one of the first incident is never overdue.
      await t.database.handle.db
        .updateTable("incidents")
        .set({ postmortem_due_at: now - HOUR })
        .where("title", "=", "Checkout 5xx after config push")
        .execute();
      expect((await call("GET", "/api/v1/postmortems/overdue")).body).toHaveLength(1);
    });
  });
}
