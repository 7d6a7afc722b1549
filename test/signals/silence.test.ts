import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createSilence,
  expireSilence,
  inhibitedBy,
  inhibitionIndex,
  isSilenced,
  parseMatcher,
  silenceState,
} from "../../src/signals/index.js";

const base = { id: "s1", startsAt: 1000, endsAt: 5000, createdBy: "ana", comment: "db migration" };

describe("silences", () => {
  it("is pending, active, then expired", () => {
    const s = createSilence({ ...base, matchers: ["service=db"] });
    expect([999, 1000, 4999, 5000].map((t) => silenceState(s, t))).toEqual([
      "pending",
      "active",
      "active",
      "expired",
    ]);
  });

  it("mutes only labels that match all its matchers while active", () => {
    const s = createSilence({ ...base, matchers: ["service=db", 'severity=~"page|ticket"'] });
    expect(isSilenced(s, { service: "db", severity: "page" }, 2000)).toBe(true);
    expect(isSilenced(s, { service: "db", severity: "info" }, 2000)).toBe(false);
    expect(isSilenced(s, { service: "db", severity: "page" }, 6000)).toBe(false);
  });

  it("expires at once when asked, and a pending silence never starts", () => {
    const s = createSilence({ ...base, matchers: ["service=db"] });
    expect(silenceState(expireSilence(s, 2000), 2000)).toBe("expired");
    const pending = expireSilence(s, 500);
    expect(pending).toMatchObject({ startsAt: 500, endsAt: 500 });
    expect(silenceState(pending, 1500)).toBe("expired");
  });

  it("refuses a silence that would mute everything, names each bad field", () => {
    try {
      createSilence({ ...base, matchers: ['team=~".*"', 'x!="y"'], endsAt: 0, comment: " " });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "NINES_ERR_SIGNALS_SILENCE_INVALID" });
      expect((e as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
        "matchers",
        "endsAt",
        "comment",
      ]);
    }
  });
});

describe("inhibition", () => {
  const rule = {
    name: "page-holds-tickets",
    sourceMatchers: [parseMatcher("class=page")],
    targetMatchers: [parseMatcher("class=ticket")],
    equal: ["service"],
  };
  const page = { fingerprint: "p", labels: { class: "page", service: "db" } };
  const ticket = { fingerprint: "t", labels: { class: "ticket", service: "db" } };

  it("holds a ticket while a page for the same service fires", () => {
    expect(inhibitedBy([rule], [page, ticket], ticket)?.source.fingerprint).toBe("p");
  });

  it("does not hold a ticket of another service, nor the page itself", () => {
    expect(
      inhibitedBy([rule], [page], { fingerprint: "t2", labels: { class: "ticket", service: "web" } }),
    ).toBeUndefined();
    expect(inhibitedBy([rule], [page, ticket], page)).toBeUndefined();
  });

  it("treats an `equal` label missing on both sides as equal", () => {
    const r = { ...rule, equal: ["cluster"] };
    expect(inhibitedBy([r], [page], ticket)).toBeDefined();
    expect(
      inhibitedBy([r], [page], { fingerprint: "t3", labels: { class: "ticket", cluster: "eu" } }),
    ).toBeUndefined();
  });
});

describe("inhibition index", () => {
  it("answers exactly like the direct search for any firing set and target", () => {
    const rules = [
      {
        name: "page-holds-tickets",
        sourceMatchers: [parseMatcher("class=page")],
        targetMatchers: [parseMatcher("class=ticket")],
        equal: ["service"],
      },
      {
        name: "outage",
        sourceMatchers: [parseMatcher("alertname=Down")],
        targetMatchers: [parseMatcher('alertname!="Down"')],
        equal: [],
      },
    ];
    const alertArb = fc.record({
      fingerprint: fc.constantFrom("a", "b", "c", "d", "e"),
      labels: fc.record(
        {
          class: fc.constantFrom("page", "ticket", "log"),
          service: fc.constantFrom("db", "web"),
          alertname: fc.constantFrom("Down", "Burn"),
        },
        { requiredKeys: ["class"] },
      ),
    });
    fc.assert(
      fc.property(fc.array(alertArb, { maxLength: 8 }), alertArb, (firing, target) => {
        const direct = inhibitedBy(rules, firing, target);
        const indexed = inhibitionIndex(rules, firing)(target);
        expect(indexed?.rule.name).toBe(direct?.rule.name);
        expect(indexed === undefined).toBe(direct === undefined);
      }),
    );
  });
});
