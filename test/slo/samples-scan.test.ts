import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileBodyValidator } from "../../src/server/validator.js";
import type { Slo } from "../../src/slo/model.js";
import { convertSamples } from "../../src/slo/sample-input.js";
import { type ScannedSamples, scanSamples } from "../../src/slo/samples-scan.js";
import { SamplesBody } from "../../src/slo/slo.schemas.js";
import { fnv1a } from "../../src/tsdb/byte-keys.js";
import { IdIndex } from "../../src/tsdb/id-index.js";
import { makeSlo } from "./support/slo-factory.js";

const IDS = ["checkout/availability", "search/latency-ok", "paiement/disponibilité", "a/b", "api/v2"];
const slos = new Map<string, Slo>(IDS.map((id) => [id, makeSlo({ id })]));
const index = new IdIndex();
for (const id of IDS) index.add(id);
const validate = compileBodyValidator(SamplesBody);
const NOW = 1_764_000_000_000;

/** What the full path makes of a body: JSON.parse, the schema, then convertSamples. */
function fullPath(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (!validate(json)) return "schema";
  const body = json as { samples: Parameters<typeof convertSamples>[0]; cumulative?: boolean };
  if (body.cumulative) return "cumulative";
  const converted = convertSamples(body.samples, {
    slos,
    cumulative: false,
    readings: new Map(),
    now: NOW,
    retentionMs: Number.POSITIVE_INFINITY,
    futureToleranceMs: Number.POSITIVE_INFINITY,
  });
  // Time bounds are the runtime's to check (SloRuntime.ingestBody), not the reader's.
  if (converted.rejections.length > 0) return "rejected";
  return converted.samples.map((s) => ({
    slot: index.slotOf(s.sloId),
    ts: s.ts,
    good: s.good,
    total: s.total,
  }));
}

function rows(s: ScannedSamples) {
  return Array.from({ length: s.length }, (_, i) => ({
    slot: s.slots[i],
    ts: s.ts[i],
    good: s.good[i],
    total: s.total[i],
  }));
}

const scan = (text: string) => scanSamples(Buffer.from(text, "utf8"), index);

const count = fc.oneof(
  fc.integer({ min: 0, max: 1e9 }),
  fc.integer({ min: 0, max: 1e12 }).map((m) => m / 1000),
  fc.constantFrom(0, 0.5, 0.1, 1e-7, 1e21, 123456789012345.6),
);
const sample = fc
  .record({
    slo: fc.constantFrom(...IDS),
    ts: fc.integer({ min: 0, max: 2 * NOW }),
    part: count,
    total: count,
    bad: fc.boolean(),
    order: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ slo, ts, part, total, bad, order }) => {
    const fields: [string, unknown][] = [
      ["slo", slo],
      ["ts", ts],
      [bad ? "bad" : "good", part],
      ["total", total],
    ];
    for (let i = 0; i < order; i++) fields.push(fields.shift()!);
    return Object.fromEntries(fields);
  });
const spaced = (text: string, seed: number) =>
  // Whitespace after some structural characters, as a pretty printer or a hand-written body has it.
  text.replace(/[{[,:]/g, (c, at: number) => ((at * 7 + seed) % 3 === 0 ? `${c}\n\t ` : c));

describe("the plain-form reader of pushed samples", () => {
  it("reads every plain body exactly as JSON.parse and the full validation would", () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 30 }), fc.nat(), (samples, seed) => {
        const text = spaced(JSON.stringify({ samples }), seed);
        const expected = fullPath(text);
        const got = scan(text);
        const plain = samples.every((s) =>
          Object.values(s).every(
            (v) => typeof v === "string" || /^\d{1,15}$/.test(String(v).replace(".", "")),
          ),
        );
        if (got === undefined) expect(typeof expected === "string" || !plain).toBe(true);
        else expect(rows(got)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("reads bodies as SDKs write them (compact, whole counts, valid) exactly as the full path", () => {
    const compact = fc
      .record({
        slo: fc.constantFrom(...IDS),
        ts: fc.integer({ min: 0, max: 2 * NOW }),
        total: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 999_999_999_999_999 })),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
        bad: fc.boolean(),
      })
      .map(({ slo, ts, total, share, bad }) => {
        const part = Math.floor(total * share);
        return bad ? { slo, ts, bad: part, total } : { slo, ts, good: part, total };
      });
    fc.assert(
      fc.property(fc.array(compact, { minLength: 1, maxLength: 30 }), (samples) => {
        const text = JSON.stringify({ samples });
        const got = scan(text);
        expect(got).toBeDefined();
        expect(rows(got!)).toEqual(fullPath(text));
      }),
      { numRuns: 300 },
    );
  });

  it("accepts nothing that the full path would refuse or read differently, whatever a byte is changed to", () => {
    const base = JSON.stringify({
      cumulative: false,
      samples: [
        { slo: "checkout/availability", ts: 1_764_000_000_000, good: 999, total: 1000 },
        { ts: 1_764_000_010_000, slo: "paiement/disponibilité", bad: 0.25, total: 10.5 },
      ],
    });
    const bytes = Buffer.from(base, "utf8");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const mutated = Buffer.from(bytes);
          for (const [at, value] of edits) mutated[at] = value;
          const got = scanSamples(mutated, index);
          if (got === undefined) return;
          expect(rows(got)).toEqual(fullPath(mutated.toString("utf8")));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["an unknown SLO", '{"samples":[{"slo":"nope/x","ts":1,"good":1,"total":1}]}'],
    ["an escaped id", '{"samples":[{"slo":"a\\/b","ts":1,"good":1,"total":1}]}'],
    ["an unknown field", '{"samples":[{"slo":"a/b","ts":1,"good":1,"total":1,"x":1}]}'],
    ["a repeated field", '{"samples":[{"slo":"a/b","ts":1,"good":1,"good":1,"total":1}]}'],
    ["good and bad", '{"samples":[{"slo":"a/b","ts":1,"good":1,"bad":0,"total":1}]}'],
    ["no total", '{"samples":[{"slo":"a/b","ts":1,"good":1}]}'],
    ["more good than total", '{"samples":[{"slo":"a/b","ts":1,"good":2,"total":1}]}'],
    ["a negative count", '{"samples":[{"slo":"a/b","ts":1,"bad":-1,"total":1}]}'],
    ["an exponent", '{"samples":[{"slo":"a/b","ts":1,"good":1e2,"total":1000}]}'],
    ["a fractional timestamp", '{"samples":[{"slo":"a/b","ts":1.5,"good":1,"total":1}]}'],
    ["an RFC 3339 timestamp", '{"samples":[{"slo":"a/b","ts":"2026-11-25T10:00:00Z","good":1,"total":1}]}'],
    ["16 digits", '{"samples":[{"slo":"a/b","ts":1234567890123456,"good":1,"total":1}]}'],
    ["buckets", '{"samples":[{"slo":"a/b","ts":1,"buckets":{"+Inf":1}}]}'],
    ["cumulative counters", '{"cumulative":true,"samples":[{"slo":"a/b","ts":1,"good":1,"total":1}]}'],
    ["no samples", '{"samples":[]}'],
    ["two sample lists", '{"samples":[{"slo":"a/b","ts":1,"good":1,"total":1}],"samples":[]}'],
    ["trailing bytes", '{"samples":[{"slo":"a/b","ts":1,"good":1,"total":1}]}x'],
    ["a cut body", '{"samples":[{"slo":"a/b","ts":1,"good":1,"total":1}'],
    ["a leading zero", '{"samples":[{"slo":"a/b","ts":01,"good":1,"total":1}]}'],
  ])("leaves a body with %s to the full path", (_name, text) => {
    expect(scan(text)).toBeUndefined();
  });

  it("turns bad counts into good ones and reads decimals and whitespace as JSON does", () => {
    const got = scan(
      ' {\n "samples" : [ {"total": 10.5, "bad": 0.25, "ts": 0, "slo": "api/v2"} ] ,"cumulative": false }\n',
    );
    expect(got && rows(got)).toEqual([{ slot: index.slotOf("api/v2"), ts: 0, good: 10.25, total: 10.5 }]);
  });

  it("refuses more samples than the API takes in one batch", () => {
    const one = '{"slo":"a/b","ts":1,"good":1,"total":1}';
    expect(scan(`{"samples":[${Array(10_000).fill(one).join(",")}]}`)?.length).toBe(10_000);
    expect(scan(`{"samples":[${Array(10_001).fill(one).join(",")}]}`)).toBeUndefined();
  });
});

describe("the index of series ids by their bytes", () => {
  it("finds every id added, by its UTF-8 bytes, and forgets deleted ones while reusing their slots", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.string({ unit: "binary", minLength: 1, maxLength: 12 })), {
          maxLength: 300,
        }),
        (ops) => {
          const ids = new IdIndex();
          const live = new Map<string, number>();
          for (const [add, id] of ops) {
            if (add) live.set(id, ids.add(id));
            else {
              expect(ids.delete(id)).toBe(live.delete(id));
            }
          }
          const slots = new Set(live.values());
          expect(slots.size).toBe(live.size);
          for (const [id, slot] of live) {
            const bytes = Buffer.from(`"${id}"`, "utf8");
            expect(ids.find(bytes, 1, bytes.length - 1, fnv1a(bytes, 1, bytes.length - 1))).toBe(slot);
            expect(ids.idAt(slot)).toBe(id);
          }
          for (const [, id] of ops) {
            if (live.has(id)) continue;
            const bytes = Buffer.from(id, "utf8");
            expect(ids.find(bytes, 0, bytes.length, fnv1a(bytes, 0, bytes.length))).toBe(-1);
          }
        },
      ),
    );
  });
});
