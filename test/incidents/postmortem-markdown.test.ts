import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  applyMarkdownEdit,
  createPostmortem,
  editPostmortem,
  exportPostmortemMarkdown,
  importPostmortemMarkdown,
  type Postmortem,
} from "../../src/incidents/index.js";
import { DAY, HOUR, MIN, postmortemArbitrary, T0 } from "./fixtures.js";

function example(): Postmortem {
  const pm = createPostmortem({
    id: "pm-42",
    incidentId: "inc-42",
    title: "Checkout 5xx after config push",
    authors: ["alice", "bob"],
    createdAt: T0,
    services: ["checkout"],
    causeTags: ["bad-config-push"],
  });
  return editPostmortem(
    pm,
    "alice",
    {
      summary: "Checkout returned 5xx to 12% of requests for 23 minutes.",
      impact: {
        users: "12% of checkout requests in eu-west",
        durationMs: 23 * MIN,
        budgetConsumed: 0.31,
        description: "About 4,100 orders failed; customers could retry.",
      },
      rootCauses:
        "The config validator did not parse YAML anchors.\n\n# The anchor expanded to an empty pool list.",
      trigger: "Config push 7f3a at 14:00 UTC.",
      detection: "Page from checkout-availability fast-burn alert.",
      resolution: "Rolled back the config at 14:21.",
      actionItems: [
        {
          id: "ai-1",
          postmortemId: "pm-42",
          description: "Validate expanded configs | not only source",
          type: "prevent",
          owner: "bob",
          priority: "P1",
          dueAt: T0 + 14 * DAY,
          status: "open",
          issueUrl: "https://tracker.example/NINES-12",
          service: "checkout",
          team: "payments",
        },
        {
          id: "ai-2",
          postmortemId: "pm-42",
          description: "Alert on empty pools",
          type: "detect",
          owner: "carol",
          priority: "P2",
          dueAt: T0 + 30 * DAY,
          status: "done",
        },
      ],
      lessons: {
        wentWell: ["Rollback took 2 minutes"],
        wentWrong: ["Canary did not cover eu-west"],
        gotLucky: ["Low traffic hour"],
      },
      timeline: [
        { at: T0, text: "Config push 7f3a" },
        { at: T0 + 2 * MIN, text: "Page fires" },
        { at: T0 + 21 * MIN, text: "Rollback complete" },
      ],
      links: [{ title: "Dashboard [eu-west]", url: "https://grafana.example/d/checkout?from=now-6h" }],
    },
    T0 + HOUR,
  );
}

describe("postmortem Markdown export", () => {
  it("writes front matter, one section per template part, a table of action items and a timeline list", () => {
    const md = exportPostmortemMarkdown(example());
    const front = parse(md.split("---\n")[1] ?? "");
    expect(front).toMatchObject({
      id: "pm-42",
      incidentId: "inc-42",
      status: "draft",
      authors: ["alice", "bob"],
      createdAt: "2026-11-25T14:00:00.000Z",
    });
    for (const heading of [
      "# Checkout 5xx after config push",
      "## Summary",
      "## Impact",
      "## Root causes",
      "## Trigger",
      "## Detection",
      "## Resolution",
      "## Action items",
      "## Lessons learned",
      "### What went well",
      "### What went wrong",
      "### Where we got lucky",
      "## Timeline",
      "## Supporting links",
    ]) {
      expect(md.split("\n")).toContain(heading);
    }
    expect(md).toContain("- Duration: 23m");
    expect(md).toContain("- Error budget consumed: 31% (0.31)");
    expect(md).toContain(
      "| ID | Description | Type | Owner | Priority | Due | Status | Service | Team | Issue |",
    );
    expect(md).toContain(
      "| ai-1 | Validate expanded configs \\| not only source | prevent | bob | P1 | 2026-12-09T14:00:00.000Z | open | checkout | payments | https://tracker.example/NINES-12 |",
    );
    expect(md).toContain("- 2026-11-25T14:02:00.000Z — Page fires");
    expect(md).toContain("\\# The anchor expanded to an empty pool list.");
  });
});

describe("postmortem Markdown import", () => {
  it("reads back the worked example unchanged", () => {
    const pm = example();
    const result = importPostmortemMarkdown(exportPostmortemMarkdown(pm));
    expect(result.postmortem).toEqual(pm);
    expect(result).toMatchObject({ unknownSections: [], missingSections: [], warnings: [] });
  });

  it("round-trips generated postmortems: import(export(pm)) equals pm (property)", () => {
    fc.assert(
      fc.property(postmortemArbitrary, (pm) => {
        const result = importPostmortemMarkdown(exportPostmortemMarkdown(pm));
        expect(result.postmortem).toEqual(pm);
        expect(result.unknownSections).toEqual(pm.extraSections.map((s) => s.heading));
      }),
      { numRuns: 300 },
    );
  });

  it("applies human edits: changed text, an added table row, a new section and CRLF line ends", () => {
    const md = exportPostmortemMarkdown(example())
      .replace(
        "Checkout returned 5xx to 12% of requests for 23 minutes.",
        "Checkout returned 5xx for 23 minutes.",
      )
      .replace(
        "## Lessons learned",
        "| ai-3 | Write a runbook for config rollback | process | dave | p3 | 2027-01-01T00:00:00.000Z | won't do |  |  |  |\n\n## Lessons learned",
      )
      .concat("\n## Appendix: graphs\n\nSee the dashboard.\n")
      .replace(/\n/g, "\r\n");
    const { postmortem, unknownSections } = importPostmortemMarkdown(md);
    expect(postmortem.summary).toBe("Checkout returned 5xx for 23 minutes.");
    expect(postmortem.actionItems[2]).toEqual({
      id: "ai-3",
      postmortemId: "pm-42",
      description: "Write a runbook for config rollback",
      type: "process",
      owner: "dave",
      priority: "P3",
      dueAt: Date.UTC(2027, 0, 1),
      status: "wont-do",
    });
    expect(unknownSections).toEqual(["Appendix: graphs"]);
    expect(postmortem.extraSections).toEqual([{ heading: "Appendix: graphs", body: "See the dashboard." }]);
  });

  it("reports template sections that were deleted and leaves them empty", () => {
    const md = exportPostmortemMarkdown(example()).replace(
      /## Trigger\n\nConfig push 7f3a at 14:00 UTC.\n\n/,
      "",
    );
    const { postmortem, missingSections } = importPostmortemMarkdown(md);
    expect(missingSections).toEqual(["trigger"]);
    expect(postmortem.trigger).toBe("");
  });

  it("accepts an impact written by hand as 1h 30m and 12.5%", () => {
    const md = exportPostmortemMarkdown(example())
      .replace("- Duration: 23m", "- Duration: 1h 30m")
      .replace("- Error budget consumed: 31% (0.31)", "- Error budget consumed: 12.5%");
    const { postmortem } = importPostmortemMarkdown(md);
    expect(postmortem.impact.durationMs).toBe(90 * MIN);
    expect(postmortem.impact.budgetConsumed).toBeCloseTo(0.125, 12);
  });

  it("rejects Markdown without front matter", () => {
    expect(() => importPostmortemMarkdown("# Title\n\n## Summary\n")).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_POSTMORTEM_MARKDOWN_INVALID",
        details: expect.objectContaining({ line: 1 }),
      }),
    );
  });

  it("names the front matter field that is wrong", () => {
    const md = exportPostmortemMarkdown(example()).replace("status: draft", "status: finished");
    expect(() => importPostmortemMarkdown(md)).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_POSTMORTEM_MARKDOWN_INVALID",
        details: expect.objectContaining({ field: "frontMatter.status" }),
      }),
    );
  });

  it("names the line and field of a malformed action item", () => {
    const md = exportPostmortemMarkdown(example()).replace(
      "https://tracker.example/NINES-12",
      "ftp://tracker.example/12",
    );
    const line = md.split("\n").findIndex((l) => l.includes("ftp://")) + 1;
    expect(() => importPostmortemMarkdown(md)).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_POSTMORTEM_MARKDOWN_INVALID",
        details: expect.objectContaining({ line, field: "actionItems[0].issueUrl" }),
      }),
    );
    const badPriority = exportPostmortemMarkdown(example()).replace("| P1 |", "| urgent |");
    expect(() => importPostmortemMarkdown(badPriority)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: "actionItems[0].priority" }) }),
    );
  });

  it("rejects a timeline entry without a time", () => {
    const md = exportPostmortemMarkdown(example()).replace(
      "- 2026-11-25T14:02:00.000Z — Page fires",
      "- Page fires",
    );
    expect(() => importPostmortemMarkdown(md)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_POSTMORTEM_MARKDOWN_INVALID" }),
    );
  });
});

describe("applying edited Markdown to a stored draft", () => {
  it("takes the content but keeps the stored review state", () => {
    const stored = example();
    const md = exportPostmortemMarkdown(stored)
      .replace("status: draft", "status: published")
      .replace("Rolled back the config at 14:21.", "Rolled back the config at 14:21 UTC.");
    const { postmortem } = applyMarkdownEdit(stored, "bob", md, T0 + 2 * HOUR);
    expect(postmortem.status).toBe("draft");
    expect(postmortem.resolution).toBe("Rolled back the config at 14:21 UTC.");
    expect(postmortem.updatedAt).toBe(T0 + 2 * HOUR);
  });

  it("refuses Markdown of another postmortem and edits by non-authors", () => {
    const stored = example();
    const other = exportPostmortemMarkdown({ ...stored, id: "pm-7" });
    expect(() => applyMarkdownEdit(stored, "alice", other, T0)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_POSTMORTEM_MARKDOWN_INVALID" }),
    );
    expect(() => applyMarkdownEdit(stored, "mallory", exportPostmortemMarkdown(stored), T0)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_POSTMORTEM_NOT_AUTHOR" }),
    );
  });
});
