import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ratioSpec } from "../support/specs.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

const spec = ratioSpec();

const value = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.constant(-1),
  fc.constant(Number.MAX_SAFE_INTEGER),
);
const sample = fc.record(
  {
    slo: fc.oneof(fc.constant("checkout/availability"), fc.string()),
    ts: fc.oneof(
      fc.constant(Date.now() - 60_000),
      fc.integer(),
      fc.string(),
      fc.constant("2026-11-25T10:00:00Z"),
    ),
    good: value,
    bad: value,
    total: value,
    buckets: fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 3 }),
    extra: value,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.record(
    { samples: fc.array(sample, { maxLength: 5 }), cumulative: fc.oneof(fc.boolean(), value) },
    { requiredKeys: [] },
  ),
  fc.array(sample),
  value,
  fc.string().map((s) => ({ raw: s })),
);

describe("malformed sample batches", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await t.token("write");
    await t.app.inject({
      method: "POST",
      url: "/api/v1/slos/apply",
      headers: { authorization: `Bearer ${token}` },
      payload: { files: [{ path: "checkout.yaml", text: spec }] },
    });
  });
  afterAll(() => t.close());

  const rows = async () =>
    Number(
      (
        await t.database.handle.db
          .selectFrom("sli_sample_batches")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("always answer 200 or a 4xx with a message, and a refused batch stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await rows();
        const response = await t.app.inject({
          method: "POST",
          url: "/api/v1/sli/samples",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          payload: JSON.stringify(payload),
        });
        if (response.statusCode === 200) return;
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        const error = response.json().error;
        expect(error.code).toMatch(/^NINES_ERR_/);
        expect(error.message.length).toBeGreaterThan(0);
        expect(await rows()).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
