import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ActionItem,
  type ActionItemStatus,
  completionRates,
  createActionItem,
  isHttpUrl,
  overdueActionItems,
  transitionActionItem,
} from "../../src/incidents/index.js";
import { DAY, T0 } from "./fixtures.js";

function item(id: string, over: Partial<ActionItem> = {}): ActionItem {
  return {
    id,
    postmortemId: "pm-1",
    description: `Item ${id}`,
    type: "prevent",
    owner: "bob",
    priority: "P2",
    dueAt: T0,
    status: "open",
    ...over,
  };
}

describe("action items", () => {
  it("lists open and in-progress items past due, by priority then due date", () => {
    const items = [
      item("late-p2", { dueAt: T0 - 3 * DAY }),
      item("late-p0", { priority: "P0", dueAt: T0 - DAY }),
      item("late-p0-older", { priority: "P0", dueAt: T0 - 2 * DAY, status: "in-progress" }),
      item("done", { dueAt: T0 - 5 * DAY, status: "done" }),
      item("wont", { dueAt: T0 - 5 * DAY, status: "wont-do" }),
      item("future", { dueAt: T0 + DAY }),
    ];
    expect(overdueActionItems(items, T0).map((i) => i.id)).toEqual(["late-p0-older", "late-p0", "late-p2"]);
  });

  it("computes completion per service with won't-do items left out of the denominator", () => {
    const items = [
      item("1", { service: "checkout", status: "done" }),
      item("2", { service: "checkout", status: "open" }),
      item("3", { service: "checkout", status: "done" }),
      item("4", { service: "checkout", status: "wont-do" }),
      item("5", { service: "search", status: "wont-do" }),
      item("6", { team: "payments", status: "done" }),
    ];
    expect(completionRates(items, "service")).toEqual([
      { key: "(none)", total: 1, done: 1, wontDo: 0, open: 0, rate: 1 },
      { key: "checkout", total: 4, done: 2, wontDo: 1, open: 1, rate: 2 / 3 },
      { key: "search", total: 1, done: 0, wontDo: 1, open: 0, rate: null },
    ]);
    expect(completionRates(items, "team").find((r) => r.key === "payments")?.rate).toBe(1);
  });

  it("moves between statuses and rejects done → in progress", () => {
    const started = transitionActionItem(item("a"), "in-progress");
    const done = transitionActionItem(started, "done");
    expect(done.status).toBe("done");
    expect(() => transitionActionItem(done, "in-progress")).toThrow(
      expect.objectContaining({ code: "NINES_ERR_POSTMORTEM_ACTION_ITEM_TRANSITION_ILLEGAL" }),
    );
    expect(transitionActionItem(done, "open").status).toBe("open");
  });

  it("creates an item tied to its postmortem and refuses a non-http issue URL", () => {
    const { postmortemId: _p, ...input } = item("x", { description: " Add a canary\nstage " });
    expect(createActionItem(input, "pm-9")).toMatchObject({
      postmortemId: "pm-9",
      description: "Add a canary stage",
    });
    expect(() => createActionItem({ ...input, issueUrl: "file:///etc/passwd" }, "pm-9")).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_POSTMORTEM_ACTION_ITEM_INVALID",
        details: { errors: [{ path: "actionItem.issueUrl", message: "must be an http or https URL" }] },
      }),
    );
  });

  it("accepts only http and https issue URLs with a host", () => {
    expect(isHttpUrl("https://github.com/org/repo/issues/12")).toBe(true);
    expect(isHttpUrl("http://jira.internal:8080/browse/OPS-1")).toBe(true);
    for (const bad of [
      "ftp://x.example/1",
      "javascript:alert(1)",
      "https://",
      "/issues/12",
      "https://a b.example",
    ]) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });

  it("keeps every rate in [0, 1] and counts every item once (property)", () => {
    const arb = fc.array(
      fc.record({
        service: fc.constantFrom("a", "b", "c"),
        status: fc.constantFrom<ActionItemStatus>("open", "in-progress", "done", "wont-do"),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const rates = completionRates(
          specs.map((s, i) => item(String(i), s)),
          "service",
        );
        expect(rates.reduce((n, r) => n + r.total, 0)).toBe(specs.length);
        for (const r of rates) {
          expect(r.done + r.wontDo + r.open).toBe(r.total);
          if (r.rate !== null) expect(r.rate >= 0 && r.rate <= 1).toBe(true);
        }
      }),
    );
  });
});
