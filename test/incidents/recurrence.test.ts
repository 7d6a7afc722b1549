import { describe, expect, it } from "vitest";
import {
  type ActionItem,
  createPostmortem,
  findRecurrences,
  normalizeCauseTag,
  type Postmortem,
} from "../../src/incidents/index.js";
import { DAY, T0 } from "./fixtures.js";

function published(id: string, over: Partial<Postmortem>): Postmortem {
  return {
    ...createPostmortem({
      id,
      incidentId: `inc-${id}`,
      title: `Outage ${id}`,
      authors: ["alice"],
      createdAt: T0,
    }),
    status: "published",
    publishedAt: T0,
    ...over,
  };
}

const openItem: ActionItem = {
  id: "ai-1",
  postmortemId: "pm-old",
  description: "Validate configs before push",
  type: "prevent",
  owner: "bob",
  priority: "P1",
  dueAt: T0 + 7 * DAY,
  status: "open",
};

describe("recurrence check", () => {
  it("normalizes cause tags written in different styles to one form", () => {
    expect(normalizeCauseTag("Bad Config Push")).toBe("bad-config-push");
    expect(normalizeCauseTag("bad_config_pushes")).toBe("bad-config-push");
    expect(normalizeCauseTag("  bad-config-push ")).toBe("bad-config-push");
  });

  it("links a new incident on the same service and cause to the earlier postmortem and its open items", () => {
    const old = published("pm-old", {
      services: ["checkout"],
      causeTags: ["Bad Config Push"],
      actionItems: [openItem, { ...openItem, id: "ai-2", status: "done" }],
    });
    const [match, ...rest] = findRecurrences({ services: ["checkout"], causeTags: ["bad_config_push"] }, [
      old,
    ]);
    expect(rest).toEqual([]);
    expect(match?.postmortemId).toBe("pm-old");
    expect(match?.matchedTags).toEqual(["bad-config-push"]);
    expect(match?.openActionItems.map((i) => i.id)).toEqual(["ai-1"]);
  });

  it("ignores the same cause on another service and unpublished postmortems", () => {
    const other = published("pm-a", { services: ["search"], causeTags: ["bad-config-push"] });
    const draft = {
      ...published("pm-b", { services: ["checkout"], causeTags: ["bad-config-push"] }),
      status: "draft" as const,
    };
    expect(
      findRecurrences({ services: ["checkout"], causeTags: ["bad-config-push"] }, [other, draft]),
    ).toEqual([]);
  });

  it("matches by similar root-cause text when tags differ", () => {
    const old = published("pm-old", {
      services: ["checkout"],
      rootCauses: "The connection pool was exhausted because retries had no budget.",
    });
    const query = {
      services: ["checkout"],
      causeTags: [],
      rootCause: "Connection pool exhausted: retries without a retry budget.",
    };
    const [match] = findRecurrences(query, [old]);
    expect(match?.textSimilarity).toBeGreaterThanOrEqual(0.5);
    expect(findRecurrences({ ...query, rootCause: "Disk full on the primary database." }, [old])).toEqual([]);
  });
});
