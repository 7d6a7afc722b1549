import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.js";

const MIN = 60_000;

describe("event log API", () => {
  let t: TestApp;
  const T0 = Date.UTC(2026, 2, 16, 9, 0);
  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.handle.db;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 12; i++) {
        await t.domains.tickets.eventLog.append(trx, {
          at: T0 + i * MIN,
          source: "api",
          service: i % 2 ? "search" : "checkout",
          title: `Cache miss ratio ${i}`,
          text: i === 5 ? "index rebuilt after schema change" : "",
          labels: { env: i < 8 ? "prod" : "staging" },
        });
      }
    });
  });
  afterAll(() => t.close());

  const get = (qs: string) => t.app.inject({ method: "GET", url: `/api/v1/logs${qs}` });

  it("searches by service, repeated label matchers, words and time range", async () => {
    const page = (
      await get(
        `?service=search&match=env%3D%22prod%22&match=source%3Dapi&from=${T0 + 2 * MIN}&to=${T0 + 8 * MIN}`,
      )
    ).json();
    expect(page.entries.map((e: { title: string }) => e.title)).toEqual([
      "Cache miss ratio 7",
      "Cache miss ratio 5",
      "Cache miss ratio 3",
    ]);
    const words = (await get("?q=SCHEMA%20index")).json();
    expect(words.entries.map((e: { title: string }) => e.title)).toEqual(["Cache miss ratio 5"]);
  });

  it("pages with nextCursor until it is null", async () => {
    const first = (await get("?limit=5")).json();
    expect(first.entries).toHaveLength(5);
    const second = (await get(`?limit=5&cursor=${first.nextCursor}`)).json();
    const third = (await get(`?limit=5&cursor=${second.nextCursor}`)).json();
    expect(third.entries).toHaveLength(2);
    expect(third.nextCursor).toBeNull();
    const all = [...first.entries, ...second.entries, ...third.entries].map((e: { at: number }) => e.at);
    expect(all).toEqual(Array.from({ length: 12 }, (_, i) => T0 + (11 - i) * MIN));
  });

  it("answers 400 naming the parameter for a bad matcher, cursor or range", async () => {
    const bad = (await get("?match=env%3D%22prod%22&match=env~prod")).json().error;
    expect(bad.code).toBe("NINES_ERR_SIGNALS_LOG_QUERY_INVALID");
    expect(bad.details).toEqual([expect.objectContaining({ path: "querystring.match[1]" })]);
    expect((await get("?cursor=garbage")).json().error.details[0].path).toBe("querystring.cursor");
    expect((await get(`?from=${T0}&to=${T0}`)).json().error.details[0].path).toBe("querystring.to");
    expect((await get("?limit=0")).json().error.details[0].path).toBe("querystring.limit");
    expect((await get("?text=x")).json().error.details[0].path).toBe("querystring.text");
  });
});
