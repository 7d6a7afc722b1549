import { describe, expect, it } from "vitest";
import {
  checkRouteExpectation,
  defaultRoutingConfig,
  parseLabelArgs,
  parseRoutingConfig,
  testRoute,
} from "../../src/signals/index.js";

describe("label arguments", () => {
  it("parses name=value pairs, keeping '=' inside values and stripping quotes", () => {
    expect(parseLabelArgs(["service=db", "severity=critical", 'query="a=b"', "empty="])).toEqual({
      service: "db",
      severity: "critical",
      query: "a=b",
      empty: "",
    });
  });

  it("reports every malformed argument with its position", () => {
    try {
      parseLabelArgs(["service=db", "severity", "=x", "9lives=yes", "service=web"]);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "NINES_ERR_SIGNALS_LABEL_ARG_INVALID" });
      const details = (e as { details: { index: number }[] }).details;
      expect(details.map((d) => d.index)).toEqual([1, 2, 3, 4]);
    }
  });
});

describe("route testing", () => {
  it("says which rule pages `source=slo severity=page`", () => {
    const result = testRoute(
      defaultRoutingConfig(),
      parseLabelArgs(["source=slo", "service=db", "severity=page"]),
    );
    expect(result).toMatchObject({ outcome: "page", rule: { name: "slo-page", path: "route.routes[0]" } });
    expect(checkRouteExpectation(result, "page").pass).toBe(true);
  });

  it("fails an --expect that does not hold and names the deciding rule", () => {
    const result = testRoute(defaultRoutingConfig(), parseLabelArgs(["service=db", "severity=critical"]));
    const check = checkRouteExpectation(result, "page");
    expect(check.pass).toBe(false);
    expect(check.message).toBe("expected page, got log by default (route)");
  });

  it("reports the receiver, team and escalation the signal reaches", () => {
    const config = parseRoutingConfig({
      route: {
        receiver: "email",
        routes: [
          {
            name: "db-critical",
            matchers: ["service=db", "severity=critical"],
            classify: "page",
            team: "storage",
            escalation: "storage-primary",
            receiver: "pager",
          },
        ],
      },
    });
    const result = testRoute(config, { service: "db", severity: "critical" });
    expect(result).toMatchObject({ receiver: "pager", team: "storage", escalation: "storage-primary" });
    expect(result.matches).toHaveLength(1);
  });
});
