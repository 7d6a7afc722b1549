import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { oncallDocument } from "./oncall-document.js";

describe("nines oncall load against a running server", { timeout: 180_000 }, () => {
  let live: LiveServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    live = await startLiveServer();
    const token = await live.token("write", "ana");
    env = { NINES_URL: live.url, NINES_TOKEN: token, TZ: "UTC" };
    const applied = await fetch(`${live.url}/api/v1/oncall/config`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(oncallDocument()),
    });
    expect(applied.status).toBe(200);
    // One page on ana's Sunday, three in dee's eight business hours on Monday.
    for (const iso of [
      "2026-03-22T08:00:00Z",
      "2026-03-23T08:00:00Z",
      "2026-03-23T09:00:00Z",
      "2026-03-23T10:00:00Z",
    ]) {
      await live.server.database.db
        .insertInto("pages")
        .values({
          fingerprint: `fp-${iso}`,
          source: "api",
          service: "db",
          team: "storage",
          title: "db is down",
          description: null,
          severity: "critical",
          labels: "{}",
          links: "[]",
          status: "triggered",
          created_at: Date.parse(iso),
          acked_at: null,
          acked_by: null,
          resolved_at: null,
          resolved_by: null,
          escalation_policy_id: null,
          route_path: "0",
          route_name: "pages",
          receiver: null,
          escalation_next_at: null,
          actionable: null,
          actionable_reason: null,
          reviewed_by: null,
        })
        .execute();
    }
  });
  afterAll(async () => {
    await live?.close();
  });

  it("prints pages per shift and per person, and exits 1 when a shift is above the guide", async () => {
    const range = ["--from", "2026-03-22T00:00:00Z", "--to", "2026-03-24T00:00:00Z"];
    const table = await runNinesAsync(["oncall", "load", "storage-primary", ...range, "--tz", "UTC"], {
      env,
    });
    expect(table.stderr).toBe("");
    expect(table.status).toBe(1);
    expect(table.stdout).toContain(
      "Storage primary (storage-primary), times in UTC: 4 page(s), 1 shift(s) above 2 per 12 h",
    );
    expect(table.stdout).toMatch(
      /2026-03-23 08:00 UTC\s+2026-03-23 16:00 UTC\s+Dee Dietrich\s+3\s+1\.33\s+ABOVE GUIDE/,
    );
    expect(table.stdout).toMatch(/Ana Alves\s+1\s+32\.0\s+1\s+0\.38\s+0/);
    const quiet = await runNinesAsync(
      [
        "oncall",
        "load",
        "storage-primary",
        "--from",
        "2026-03-22T00:00:00Z",
        "--to",
        "2026-03-23T00:00:00Z",
        "--json",
      ],
      { env },
    );
    expect(quiet.status).toBe(0);
    const load = JSON.parse(quiet.stdout);
    expect(load.totalPages).toBe(1);
    expect(load.people).toMatchObject([{ personId: "ana", pages: 1, shifts: 1, hours: 24 }]);
  });
});
