import { describe, expect, it } from "vitest";
import { fingerprintOf, signalLabels, toSignal } from "../../src/signals/index.js";

const now = Date.parse("2026-03-25T10:00:00Z");

describe("signal input", () => {
  it("converts times, defaults startsAt to now and derives a fingerprint", () => {
    const s = toSignal(
      { source: "api", service: "db", title: "Disk", severity: "ticket", endsAt: "2026-03-25T11:00:00Z" },
      now,
    );
    expect(s).toMatchObject({
      startsAt: now,
      endsAt: Date.parse("2026-03-25T11:00:00Z"),
      labels: {},
      links: [],
    });
    expect(s.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives the same fingerprint to the same alert and a different one to another", () => {
    const a = toSignal(
      { source: "api", service: "db", title: "Disk", severity: "ticket", labels: { host: "a" } },
      now,
    );
    const b = toSignal(
      { source: "api", service: "db", title: "Disk", severity: "page", labels: { host: "a" } },
      now + 1,
    );
    const c = toSignal(
      { source: "api", service: "db", title: "Disk", severity: "ticket", labels: { host: "b" } },
      now,
    );
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });

  it("marks `resolved: true` as ending now", () => {
    expect(
      toSignal({ source: "api", service: "db", title: "Disk", severity: "t", resolved: true }, now).endsAt,
    ).toBe(now);
  });

  it("names each malformed field", () => {
    try {
      toSignal({ source: "", service: "db", severity: 3, labels: { "bad-name": "x" }, extra: 1 }, now);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "NINES_ERR_SIGNALS_SIGNAL_INVALID" });
      const paths = (e as { details: { path: string }[] }).details.map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(["source", "title", "severity", "extra"]));
    }
  });

  it("rejects a bad label name and a bad time once the shape is right", () => {
    expect(() =>
      toSignal(
        {
          source: "api",
          service: "db",
          title: "D",
          severity: "t",
          labels: { "bad-name": "x" },
          startsAt: "yesterday",
        },
        now,
      ),
    ).toThrow(
      expect.objectContaining({
        details: expect.arrayContaining([expect.objectContaining({ path: "labels.bad-name" })]),
      }),
    );
  });

  it("exposes the signal's fields as labels that win over same-named labels", () => {
    const s = toSignal(
      {
        source: "slo",
        service: "db",
        title: "Burn",
        severity: "page",
        team: "storage",
        labels: { service: "spoof", slo: "avail" },
      },
      now,
    );
    expect(signalLabels(s)).toEqual({
      alertname: "Burn",
      source: "slo",
      service: "db",
      severity: "page",
      team: "storage",
      slo: "avail",
    });
  });

  it("fingerprints label sets independently of key order", () => {
    expect(fingerprintOf({ a: "1", b: "2" })).toBe(fingerprintOf({ b: "2", a: "1" }));
    expect(fingerprintOf({ a: "1", b: "2" })).not.toBe(fingerprintOf({ a: "12", b: "" }));
  });
});
