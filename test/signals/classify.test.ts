import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyLabels,
  classifySignal,
  defaultRoutingConfig,
  OUTCOMES,
  parseRoutingConfig,
  type Signal,
} from "../../src/signals/index.js";

const signal = (overrides: Partial<Signal>): Signal => ({
  source: "slo",
  service: "checkout",
  title: "ErrorBudgetBurn",
  severity: "page",
  labels: {},
  fingerprint: "f1",
  links: [],
  startsAt: 0,
  ...overrides,
});

describe("classification with the default routes", () => {
  it("pages for an SLO page-line alert", () => {
    const c = classifySignal(defaultRoutingConfig(), signal({}));
    expect(c.outcome).toBe("page");
    expect(c.rule).toEqual({ path: "route.routes[0]", name: "slo-page" });
  });

  it("opens a ticket for an SLO ticket-line alert", () => {
    const c = classifySignal(defaultRoutingConfig(), signal({ severity: "ticket" }));
    expect(c.outcome).toBe("ticket");
    expect(c.rule.name).toBe("slo-ticket");
  });

  it("logs anything else, decided by the root route", () => {
    const c = classifySignal(
      defaultRoutingConfig(),
      signal({ source: "alertmanager", severity: "critical" }),
    );
    expect(c.outcome).toBe("log");
    expect(c.rule).toEqual({ path: "route", name: "default" });
  });
});

const treeConfig = parseRoutingConfig({
  route: {
    name: "root",
    routes: [
      {
        name: "db",
        matchers: ['service=~"db|db-replica"'],
        team: "storage",
        routes: [
          { name: "db-critical", matchers: ["severity=critical"], classify: "page" },
          { name: "db-warning", matchers: ["severity!=critical"], classify: "ticket" },
        ],
      },
      { name: "audit-copy", matchers: ['env="prod"'], classify: "log", receiver: "archive", continue: true },
      {
        name: "prod-critical",
        matchers: ['env="prod"', "severity=critical"],
        classify: "page",
        receiver: "pager",
      },
      { name: "never-reached", matchers: ['env="prod"'], classify: "ticket" },
    ],
  },
});

describe("classification through a nested tree", () => {
  it("descends into the first matching child and its first matching grandchild", () => {
    const c = classifyLabels(treeConfig, { service: "db-replica", severity: "critical" });
    expect(c.outcome).toBe("page");
    expect(c.rule).toEqual({ path: "route.routes[0].routes[0]", name: "db-critical" });
    expect(c.route.team).toBe("storage");
  });

  it("falls back to the parent when no grandchild matches", () => {
    const config = parseRoutingConfig({
      route: {
        routes: [
          {
            name: "db",
            matchers: ["service=db"],
            classify: "ticket",
            routes: [{ matchers: ["x=y"], classify: "page" }],
          },
        ],
      },
    });
    expect(classifyLabels(config, { service: "db" }).rule.name).toBe("db");
  });

  it("keeps going after a `continue` route and lets the most urgent match decide", () => {
    const c = classifyLabels(treeConfig, { service: "web", env: "prod", severity: "critical" });
    expect(c.matches.map((r) => r.name)).toEqual(["audit-copy", "prod-critical"]);
    expect(c.outcome).toBe("page");
    expect(c.rule.name).toBe("prod-critical");
    expect(c.route.receiver).toBe("pager");
  });

  it("stops at the first matching route without `continue`", () => {
    const c = classifyLabels(treeConfig, { service: "web", env: "prod", severity: "warning" });
    expect(c.matches.map((r) => r.name)).toEqual(["audit-copy", "never-reached"]);
    expect(c.outcome).toBe("ticket");
  });
});

describe("classification properties", () => {
  const labelArb = fc.dictionary(
    fc.constantFrom("service", "severity", "env", "source", "team"),
    fc.constantFrom("db", "db-replica", "web", "critical", "warning", "page", "ticket", "prod", "slo", ""),
  );

  it("always returns exactly one of page, ticket or log and a deciding rule among the matches", () => {
    for (const config of [treeConfig, defaultRoutingConfig()]) {
      fc.assert(
        fc.property(labelArb, (labels) => {
          const c = classifyLabels(config, labels);
          expect(OUTCOMES).toContain(c.outcome);
          expect(c.matches.length).toBeGreaterThan(0);
          expect(c.matches.map((r) => r.path)).toContain(c.rule.path);
          expect(c.route.classify).toBe(c.outcome);
          // No match is more urgent than the decision.
          for (const r of c.matches)
            expect(OUTCOMES.indexOf(r.classify)).toBeGreaterThanOrEqual(OUTCOMES.indexOf(c.outcome));
        }),
      );
    }
  });
});
