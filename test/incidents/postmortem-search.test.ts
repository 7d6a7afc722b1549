import { describe, expect, it } from "vitest";
import {
  buildPostmortemIndex,
  createPostmortem,
  type Postmortem,
  searchPostmortems,
} from "../../src/incidents/index.js";
import { T0 } from "./fixtures.js";

function pm(id: string, status: Postmortem["status"], over: Partial<Postmortem>): Postmortem {
  return {
    ...createPostmortem({ id, incidentId: `inc-${id}`, title: id, authors: ["a"], createdAt: T0 }),
    status,
    ...over,
  };
}

const corpus = [
  pm("pool", "published", {
    title: "Checkout connection pool exhaustion",
    services: ["checkout"],
    causeTags: ["retry-storm"],
    rootCauses: "Retries without a budget exhausted the database connection pool.",
  }),
  pm("dns", "published", {
    title: "Search outage after DNS change",
    services: ["search"],
    causeTags: ["bad-config-push"],
    rootCauses: "A DNS record pointed at a drained pool of hosts.",
  }),
  pm("cert", "published", {
    title: "Expired TLS certificate",
    services: ["checkout", "search"],
    causeTags: ["expiry"],
    summary: "Clients could not connect for 40 minutes.",
  }),
  pm("draft", "draft", {
    title: "Connection pool draft",
    services: ["checkout"],
    rootCauses: "connection pool pool pool",
  }),
];

describe("postmortem search", () => {
  const index = buildPostmortemIndex(corpus);

  it("ranks the postmortem about the pool above one that mentions a pool in passing", () => {
    const hits = searchPostmortems(index, { text: "connection pool exhausted" });
    expect(hits.map((h) => h.postmortemId)).toEqual(["pool", "dns"]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY);
  });

  it("never returns drafts", () => {
    expect(searchPostmortems(index, { text: "draft" })).toEqual([]);
  });

  it("filters by service and by normalized cause", () => {
    expect(searchPostmortems(index, { service: "search" }).map((h) => h.postmortemId)).toEqual([
      "cert",
      "dns",
    ]);
    expect(searchPostmortems(index, { cause: "Bad Config Push" }).map((h) => h.postmortemId)).toEqual([
      "dns",
    ]);
    expect(
      searchPostmortems(index, { text: "pool", service: "checkout" }).map((h) => h.postmortemId),
    ).toEqual(["pool"]);
  });

  it("matches word forms through light stemming and honours the limit", () => {
    expect(searchPostmortems(index, { text: "certificates expiring" })[0]?.postmortemId).toBe("cert");
    expect(searchPostmortems(index, { service: "checkout", limit: 1 })).toHaveLength(1);
  });
});
