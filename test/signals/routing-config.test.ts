import { describe, expect, it } from "vitest";
import { compileRoutingConfig, defaultRoutingConfig, parseRoutingConfig } from "../../src/signals/index.js";

describe("routing config", () => {
  it("compiles the default config with inherited timings", () => {
    const config = defaultRoutingConfig();
    expect(config.route.routes.map((r) => [r.name, r.classify, r.groupWaitMs, r.repeatIntervalMs])).toEqual([
      ["slo-page", "page", 30_000, 4 * 3_600_000],
      ["slo-ticket", "ticket", 30_000, 24 * 3_600_000],
    ]);
    expect(config.route.routes[1]?.path).toBe("route.routes[1]");
  });

  it("inherits receiver, team and escalation from the parent route", () => {
    const config = parseRoutingConfig({
      route: {
        receiver: "default",
        routes: [
          {
            matchers: ["team=db"],
            team: "db",
            escalation: "db-policy",
            routes: [{ name: "db-pages", matchers: ["severity=critical"], classify: "page" }],
          },
        ],
      },
    });
    const leaf = config.route.routes[0]?.routes[0];
    expect(leaf).toMatchObject({
      receiver: "default",
      team: "db",
      escalation: "db-policy",
      classify: "page",
      name: "db-pages",
    });
  });

  it("names the path of every shape error, including nested routes", () => {
    const result = compileRoutingConfig({
      route: {
        classify: "alarm",
        routes: [{ routes: [{ matchers: "service=db" }] }, { continue: "yes" }],
        colour: "red",
      },
      inhibitRules: [{ sourceMatchers: [] }],
    });
    const paths = result.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "route.classify",
        "route.routes[0].routes[0].matchers",
        "route.routes[1].continue",
        "route.colour",
        "inhibitRules[0].targetMatchers",
      ]),
    );
  });

  it("names the path of bad matchers, durations, zones and times after the shape passes", () => {
    const result = compileRoutingConfig({
      route: {
        matchers: ["a=b"],
        routes: [{ matchers: ["ok=1", 'env=~"("'], groupWait: "soon" }, { name: "x" }, { name: "x" }],
      },
      inhibitRules: [{ sourceMatchers: ["nope"], targetMatchers: [] }],
      autoResolve: { bySource: { api: "1 day" } },
      maintenanceWindows: [
        { service: "db", timeZone: "Nowhere/City", start: "2026-03-01T22:00", end: "2026-03-01T21:00" },
      ],
    });
    expect(result.errors.map((e) => e.path)).toEqual([
      "route.matchers",
      "route.routes[0].matchers[1]",
      "route.routes[0].groupWait",
      "route.routes[2].name",
      "inhibitRules[0].sourceMatchers[0]",
      "autoResolve.bySource.api",
      "maintenanceWindows[0].timeZone",
      "maintenanceWindows[0].end",
    ]);
  });

  it("throws NINES_ERR_SIGNALS_ROUTING_INVALID with the field errors as details", () => {
    expect(() => parseRoutingConfig({ route: { groupBy: "service" } })).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_SIGNALS_ROUTING_INVALID",
        details: [expect.objectContaining({ path: "route.groupBy" })],
      }),
    );
  });

  it("rejects a config that is not an object at all", () => {
    expect(compileRoutingConfig("route: {}").errors.length).toBeGreaterThan(0);
    expect(compileRoutingConfig({}).errors.map((e) => e.path)).toContain("route");
  });
});
