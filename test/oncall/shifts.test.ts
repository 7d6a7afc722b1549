import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSchedule,
  type Layer,
  type Restriction,
  type Rotation,
  type Schedule,
  shifts,
  type Weekday,
  whoIsOnCall,
} from "../../src/oncall/index.js";
import { at, DAY, HOUR, rotation, schedule } from "./fixtures.js";

const weekly: Layer = { id: "base", name: "Weekly", rotation: rotation() };

describe("shifts", () => {
  it("lists the weekly Berlin rotation with the DST-shifted handoff", () => {
    const timeline = shifts(schedule([weekly]), at("2026-03-23T00:00:00Z"), at("2026-04-01T00:00:00Z"));
    expect(timeline).toEqual([
      { start: at("2026-03-23T00:00:00Z"), end: at("2026-03-23T08:00:00Z"), personId: "ana" },
      { start: at("2026-03-23T08:00:00Z"), end: at("2026-03-30T07:00:00Z"), personId: "ben" },
      { start: at("2026-03-30T07:00:00Z"), end: at("2026-04-01T00:00:00Z"), personId: "chen" },
    ]);
  });

  it("lets a business-hours layer win over the 24/7 layer beneath it", () => {
    const dayTeam: Layer = {
      id: "day",
      name: "Business hours",
      rotation: rotation({ participants: ["dee"], length: { unit: "days", count: 1 } }),
      restrictions: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" }],
    };
    const s = schedule([weekly, dayTeam]);
    // Tuesday 24 March 2026: 09:00–17:00 CET is 08:00Z–16:00Z.
    expect(whoIsOnCall(s, at("2026-03-24T07:59:00Z")).personId).toBe("ben");
    expect(whoIsOnCall(s, at("2026-03-24T08:00:00Z"))).toEqual({
      personId: "dee",
      layerId: "day",
      override: false,
    });
    expect(whoIsOnCall(s, at("2026-03-24T16:00:00Z")).personId).toBe("ben");
    // Saturday is outside the restriction.
    expect(whoIsOnCall(s, at("2026-03-28T10:00:00Z")).personId).toBe("ben");
    const tuesday = shifts(s, at("2026-03-24T00:00:00Z"), at("2026-03-25T00:00:00Z"));
    expect(tuesday.map((x) => x.personId)).toEqual(["ben", "dee", "ben"]);
  });

  it("lets an override replace whoever is on call for its range only", () => {
    const s = schedule(
      [weekly],
      [{ personId: "zoe", start: at("2026-03-25T12:00:00Z"), end: at("2026-03-25T18:00:00Z") }],
    );
    expect(whoIsOnCall(s, at("2026-03-25T13:00:00Z"))).toEqual({
      personId: "zoe",
      layerId: null,
      override: true,
    });
    const timeline = shifts(s, at("2026-03-25T00:00:00Z"), at("2026-03-26T00:00:00Z"));
    expect(timeline).toEqual([
      { start: at("2026-03-25T00:00:00Z"), end: at("2026-03-25T12:00:00Z"), personId: "ben" },
      { start: at("2026-03-25T12:00:00Z"), end: at("2026-03-25T18:00:00Z"), personId: "zoe" },
      { start: at("2026-03-25T18:00:00Z"), end: at("2026-03-26T00:00:00Z"), personId: "ben" },
    ]);
  });

  it("merges an override of the person already on call into one shift", () => {
    const s = schedule(
      [weekly],
      [{ personId: "ben", start: at("2026-03-25T12:00:00Z"), end: at("2026-03-25T18:00:00Z") }],
    );
    expect(shifts(s, at("2026-03-25T00:00:00Z"), at("2026-03-26T00:00:00Z"))).toHaveLength(1);
  });

  it("hands follow-the-sun from London to Sydney and finds the hour nobody covers", () => {
    const london: Layer = {
      id: "emea",
      name: "EMEA",
      rotation: rotation({ participants: ["lea"], timeZone: "Europe/London", startDate: "2026-01-01" }),
      restrictions: [{ start: "08:00", end: "20:00" }],
    };
    const sydney: Layer = {
      id: "apac",
      name: "APAC",
      rotation: rotation({ participants: ["sam"], timeZone: "Australia/Sydney", startDate: "2026-01-01" }),
      restrictions: [{ start: "08:00", end: "20:00" }],
    };
    const s = schedule([london, sydney]);
    // 14 January: London 08:00–20:00 = 08:00Z–20:00Z; Sydney (UTC+11) 08:00–20:00 = 21:00Z–09:00Z.
    expect(whoIsOnCall(s, at("2026-01-14T12:00:00Z")).personId).toBe("lea");
    expect(whoIsOnCall(s, at("2026-01-14T08:30:00Z")).personId).toBe("sam");
    expect(whoIsOnCall(s, at("2026-01-14T20:30:00Z")).personId).toBeNull();
    const check = checkSchedule(s, { from: at("2026-01-12T00:00:00Z"), weeks: 1, tolerance: 0.25 });
    expect(check.gaps).toHaveLength(7);
    expect(check.gaps[0]).toEqual({ start: at("2026-01-12T20:00:00Z"), end: at("2026-01-12T21:00:00Z") });
    // Sydney's 12 h a day are all on top; London keeps 11 h a day.
    expect(check.hoursByPerson).toEqual({ lea: 77, sam: 84 });
    expect(check.imbalances).toEqual([]);
  });

  it("flags a participant who carries far more than the mean", () => {
    const lopsided: Layer = {
      id: "base",
      name: "Lopsided",
      rotation: rotation({ participants: ["ana", "ana", "ana", "ben"], length: { unit: "days", count: 1 } }),
    };
    const check = checkSchedule(schedule([lopsided]), {
      from: at("2026-04-06T07:00:00Z"),
      weeks: 4,
      tolerance: 0.2,
    });
    expect(check.hoursByPerson).toEqual({ ana: 21 * 24, ben: 7 * 24 });
    expect(check.imbalances.map((i) => [i.personId, i.deviation])).toEqual([
      ["ana", 0.5],
      ["ben", -0.5],
    ]);
  });

  it("rejects an empty or reversed range", () => {
    expect(() => shifts(schedule([weekly]), 10, 10)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_ONCALL_TIME_RANGE_INVALID" }),
    );
  });
});

const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "America/Sao_Paulo",
];
const WEEKDAY_NAMES: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const rotationArb: fc.Arbitrary<Rotation> = fc.record({
  participants: fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: 1, maxLength: 4 }),
  length: fc.record({
    unit: fc.constantFrom("hours" as const, "days" as const, "weeks" as const),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  handoffTime: clock,
  timeZone: fc.constantFrom(...ZONES),
  startDate: fc
    .integer({ min: 0, max: 300 })
    .map((d) => new Date(Date.UTC(2026, 0, 1) + d * DAY).toISOString().slice(0, 10)),
});
const restrictionArb: fc.Arbitrary<Restriction> = fc.record(
  { days: fc.subarray(WEEKDAY_NAMES, { minLength: 1 }), start: clock, end: clock },
  { requiredKeys: ["start", "end"] },
);
const base = Date.UTC(2026, 0, 1);
const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  id: fc.constant("s"),
  name: fc.constant("S"),
  layers: fc
    .array(
      fc
        .record({ rotation: rotationArb, restrictions: fc.array(restrictionArb, { maxLength: 2 }) })
        .map((l) => l),
      { minLength: 0, maxLength: 3 },
    )
    .map((ls) => ls.map((l, i) => ({ id: `l${i}`, name: `L${i}`, ...l }))),
  overrides: fc
    .array(
      fc.record({
        personId: fc.constantFrom("a", "x"),
        start: fc.integer({ min: 0, max: 330 * 24 }),
        hours: fc.integer({ min: 1, max: 72 }),
      }),
      { maxLength: 3 },
    )
    .map((os) =>
      os.map((o) => ({
        personId: o.personId,
        start: base + o.start * HOUR,
        end: base + (o.start + o.hours) * HOUR,
      })),
    ),
});
const rangeArb = fc
  .tuple(fc.integer({ min: 0, max: 330 * 24 * 60 }), fc.integer({ min: 1, max: 21 * 24 * 60 }))
  .map(([s, len]) => ({ from: base + s * 60_000, to: base + (s + len) * 60_000 }));

describe("shifts properties", () => {
  it("covers [from, to) exactly, without overlap, with adjacent shifts of different people", () => {
    fc.assert(
      fc.property(scheduleArb, rangeArb, (s, { from, to }) => {
        const timeline = shifts(s, from, to);
        expect(timeline[0]?.start).toBe(from);
        expect(timeline[timeline.length - 1]?.end).toBe(to);
        for (let i = 0; i < timeline.length; i++) {
          const cur = timeline[i];
          expect(cur && cur.end > cur.start).toBe(true);
          const next = timeline[i + 1];
          if (cur && next) {
            expect(next.start).toBe(cur.end);
            expect(next.personId).not.toBe(cur.personId);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("agrees with whoIsOnCall at every shift boundary and at random instants", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        rangeArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        (s, { from, to }, ts) => {
          const timeline = shifts(s, from, to);
          const probes = [
            ...timeline.flatMap((x) => [x.start, x.end - 1]),
            ...ts.map((t) => Math.floor(from + t * (to - from - 1))),
          ];
          for (const p of probes) {
            const shift = timeline.find((x) => p >= x.start && p < x.end);
            expect(whoIsOnCall(s, p).personId).toBe(shift?.personId);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("adds up hours per person and gaps to the whole checked range", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 3 }),
        (s, day, weeks) => {
          const check = checkSchedule(s, { from: base + day * DAY, weeks, tolerance: 0.25 });
          const onCall = Object.values(check.hoursByPerson).reduce((a, b) => a + b, 0) * HOUR;
          const gaps = check.gaps.reduce((a, g) => a + g.end - g.start, 0);
          expect(onCall + gaps).toBeCloseTo(weeks * 7 * DAY, 0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
