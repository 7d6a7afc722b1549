import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isNinesError } from "../../src/errors/index.js";
import { matchesSelector, parseSeriesSelector } from "../../src/prometheus/remote-write/series-selector.js";

const errorCode = (text: string): string | undefined => {
  try {
    parseSeriesSelector(text);
    return undefined;
  } catch (error) {
    return isNinesError(error) ? error.code : "not a NinesError";
  }
};

describe("series selectors", () => {
  const selector = parseSeriesSelector('http_requests_total{job="api",code=~"5.."}');

  it("matches a 5xx series of the api job", () => {
    expect(matchesSelector(selector, { __name__: "http_requests_total", job: "api", code: "503" })).toBe(
      true,
    );
  });

  it("anchors regexes: code 5000 and 200 do not match 5..", () => {
    expect(matchesSelector(selector, { __name__: "http_requests_total", job: "api", code: "5000" })).toBe(
      false,
    );
    expect(matchesSelector(selector, { __name__: "http_requests_total", job: "api", code: "200" })).toBe(
      false,
    );
  });

  it("does not match another metric or job", () => {
    expect(matchesSelector(selector, { __name__: "http_requests", job: "api", code: "500" })).toBe(false);
    expect(matchesSelector(selector, { __name__: "http_requests_total", job: "web", code: "500" })).toBe(
      false,
    );
  });

  it("supports != and !~ and treats a missing label as empty", () => {
    const s = parseSeriesSelector('{job!=\'batch\', env!~"dev|test", __name__="up"}');
    expect(matchesSelector(s, { __name__: "up", job: "api" })).toBe(true);
    expect(matchesSelector(s, { __name__: "up", job: "batch" })).toBe(false);
    expect(matchesSelector(s, { __name__: "up", env: "test" })).toBe(false);
    expect(matchesSelector(parseSeriesSelector('up{zone=""}'), { __name__: "up" })).toBe(true);
  });

  it("reads escapes in quoted values and allows a trailing comma", () => {
    const s = parseSeriesSelector('m{path="a\\"b\\\\c",}');
    expect(s.matchers[1]).toMatchObject({ name: "path", op: "=", value: 'a"b\\c' });
  });

  it("rejects bad syntax, bad regexes and selectors that match everything with NINES_ERR_PROMSELECTOR_INVALID", () => {
    for (const text of [
      'up{job="a"',
      'up{job~"a"}',
      'up{job=~"("}',
      "{}",
      'up{job="a"} extra',
      '{job=~".*"}',
      "",
    ]) {
      expect(errorCode(text), text).toBe("NINES_ERR_PROMSELECTOR_INVALID");
    }
  });

  it("agrees with a direct comparison for any equality selector", () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ minLength: 1 }), { minKeys: 1, maxKeys: 4 }),
        fc.dictionary(name, fc.string()),
        (want, have) => {
          const text = `{${Object.entries(want)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(",")}}`;
          const expected = Object.entries(want).every(
            ([k, v]) => (Object.hasOwn(have, k) ? have[k] : "") === v,
          );
          expect(matchesSelector(parseSeriesSelector(text), have)).toBe(expected);
        },
      ),
    );
  });

  it("never throws anything but the selector error on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const code = errorCode(text);
        if (code !== undefined) expect(code).toBe("NINES_ERR_PROMSELECTOR_INVALID");
      }),
    );
  });
});
