import { describe, expect, it } from "vitest";
import { formatMatcher, matches, parseDuration, parseMatcher } from "../../src/signals/index.js";

describe("label matchers", () => {
  it("parses the four operators with quoted and bare values", () => {
    expect(parseMatcher('service="db"')).toMatchObject({ name: "service", op: "=", value: "db" });
    expect(parseMatcher("severity!=page")).toMatchObject({ name: "severity", op: "!=", value: "page" });
    expect(parseMatcher('env=~"prod|staging"')).toMatchObject({ op: "=~", value: "prod|staging" });
    expect(parseMatcher("team !~ ops.*")).toMatchObject({ name: "team", op: "!~", value: "ops.*" });
  });

  it("anchors regexes at both ends like Prometheus", () => {
    const m = parseMatcher('service=~"db"');
    expect(matches(m, { service: "db" })).toBe(true);
    expect(matches(m, { service: "db-replica" })).toBe(false);
  });

  it("reads an absent label as the empty string", () => {
    expect(matches(parseMatcher('team=""'), {})).toBe(true);
    expect(matches(parseMatcher('team!=""'), {})).toBe(false);
    expect(matches(parseMatcher('team!~"ops"'), {})).toBe(true);
  });

  it("unescapes quoted values and renders them back", () => {
    const m = parseMatcher('title="say \\"hi\\""');
    expect(m.value).toBe('say "hi"');
    expect(formatMatcher(m)).toBe('title="say \\"hi\\""');
  });

  it("rejects malformed matchers and bad regexes with a stable code", () => {
    for (const bad of ["service", "=db", "1abc=x", 'env=~"("', 'x="open']) {
      expect(() => parseMatcher(bad), bad).toThrow(
        expect.objectContaining({ code: "NINES_ERR_SIGNALS_MATCHER_INVALID" }),
      );
    }
  });
});

describe("durations", () => {
  it("parses Prometheus-style durations into milliseconds", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(parseDuration(1500)).toBe(1500);
  });

  it("rejects malformed durations", () => {
    expect(parseDuration("5 minutes")).toBeUndefined();
    expect(parseDuration("")).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});
