import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSpecFiles, toNativeYaml } from "../../src/slo/spec/index.js";
import { errorsOf, yamlOf } from "./spec-helpers.js";

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);

const nativeDoc = fc.record({
  service: name,
  name,
  // At least 98%: the default page-fast burn rate scales with the window (14.4 × 92/30 for a
  // quarter), and below ~97.7% it could never fire, which the validator rightly refuses.
  target: fc.integer({ min: 98_000, max: 99_999 }).map((n) => n / 1000),
  window: fc.oneof(
    fc.integer({ min: 7, max: 90 }).map((d) => ({ rolling: `${d}d` })),
    fc.record({
      calendar: fc.constantFrom("week", "month", "quarter"),
      timeZone: fc.constantFrom("UTC", "Europe/Berlin", "Asia/Tokyo"),
    }),
  ),
  sli: fc.oneof(
    fc.record({ ratio: fc.record({ count: fc.constantFrom("good", "bad") }) }),
    fc
      .constantFrom(0.1, 0.3, 1)
      .map((t) => ({ latency: { thresholdSeconds: t, buckets: [0.05, 0.1, 0.3, 1, 5] } })),
  ),
  budgeting: fc.option(
    fc.record({
      method: fc.constant("timeslices"),
      sliceWindow: fc.constantFrom("1m", "5m"),
      sliceTarget: fc.integer({ min: 50, max: 100 }),
    }),
    { nil: undefined },
  ),
  prometheus: fc.boolean(),
  lines: fc.dictionary(
    fc.constantFrom("page-fast", "page-slow", "ticket-fast", "ticket-slow"),
    fc.record(
      {
        enabled: fc.boolean(),
        minEvents: fc.integer({ min: 0, max: 10_000 }),
        burnRate: fc.integer({ min: 1, max: 19 }).map((b) => b / 2),
      },
      { requiredKeys: [] },
    ),
  ),
  labels: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
});

function toDoc(d: NativeInput): Record<string, unknown> {
  return {
    apiVersion: "nines/v1",
    kind: "SLO",
    metadata: { name: d.name, labels: d.labels },
    spec: {
      service: d.service,
      sli: d.sli,
      objective: { target: d.target },
      window: d.window,
      ...(d.budgeting !== undefined ? { budgeting: d.budgeting } : {}),
      ...(d.prometheus
        ? {
            source: {
              prometheus: {
                url: "http://prom:9090",
                eventsQuery: "sum(increase(good[{{window}}]))",
                totalQuery: "sum(increase(all[{{window}}]))",
              },
            },
          }
        : {}),
      alerting: { lines: d.lines },
    },
  };
}

type NativeInput = typeof nativeDoc extends fc.Arbitrary<infer T> ? T : never;

describe("toNativeYaml", () => {
  it("writes specs that parse back to the same SLO", () => {
    fc.assert(
      fc.property(nativeDoc, (d) => {
        const first = parseSpecFiles([{ path: "a.yaml", text: yamlOf(toDoc(d)) }]);
        expect(errorsOf(first)).toEqual([]);
        const slo = first.slos[0]!;
        const second = parseSpecFiles([{ path: "b.yaml", text: toNativeYaml(slo) }]);
        expect(errorsOf(second)).toEqual([]);
        expect(second.slos[0]).toEqual(slo);
      }),
      { numRuns: 150 },
    );
  });

  it("round-trips every example, imported ones included", () => {
    const dir = "examples/slos";
    const files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));
    const first = parseSpecFiles(files, { prometheusUrl: "http://prom:9090" });
    expect(errorsOf(first)).toEqual([]);
    expect(first.slos.length).toBeGreaterThanOrEqual(7);
    for (const slo of first.slos) {
      const again = parseSpecFiles([{ path: "x.yaml", text: toNativeYaml(slo) }]).slos[0];
      if (slo.alerting.name === "default" || slo.alerting.name === "none") expect(again).toEqual(slo);
      // A named policy is written out in full under policy "none".
      else expect(again).toEqual({ ...slo, alerting: { ...slo.alerting, name: "none" } });
    }
  });
});
