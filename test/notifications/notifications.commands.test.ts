import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { type FakeServer, startFakeServer } from "./fake-receivers.js";

describe("nines receiver and nines notification", () => {
  let live: LiveServer;
  let ok: FakeServer;
  let admin: string;
  beforeAll(async () => {
    live = await startLiveServer({ notifications: { allowedHosts: ["127.0.0.1"], pollIntervalMs: 50 } });
    ok = await startFakeServer(() => ({ status: 200 }));
    admin = await live.token("admin");
  });
  afterAll(async () => {
    await ok.close();
    await live.close();
  });
  const nines = (args: string[]) => runNinesAsync([...args, "--url", live.url, "--token", admin]);

  it("adds, lists and tests a receiver; a receiver that refuses makes `receiver test` exit 1", async () => {
    const added = await nines([
      "receiver",
      "add",
      "ops-hook",
      "--type",
      "webhook",
      "--endpoint",
      ok.url,
      "--secret",
      "0123456789abcdef-secret",
    ]);
    expect(added.status, added.stderr).toBe(0);
    const list = await nines(["receiver", "list"]);
    expect(list.stdout).toMatch(/ops-hook\s+webhook\s+http:\/\/127\.0\.0\.1/);
    expect(list.stdout).not.toContain("0123456789abcdef-secret");
    const tested = await nines(["receiver", "test", "ops-hook"]);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/attempt 1 \S+ ops-hook success 200/);
    expect(tested.stdout).toContain("delivered");
    expect(ok.requests).toHaveLength(1);

    const refusing = await startFakeServer(() => ({ status: 410, body: "gone" }));
    try {
      await nines(["receiver", "add", "gone", "--type", "slack", "--endpoint", `${refusing.url}/services/x`]);
      const failed = await nines(["receiver", "test", "gone"]);
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain("failed");
      expect(failed.stderr).toContain("410");
    } finally {
      await refusing.close();
    }
    const listed = await nines(["notification", "list", "--status", "failed", "--output", "json"]);
    expect(
      (JSON.parse(listed.stdout) as { target: { receiverId: string } }[]).map((n) => n.target.receiverId),
    ).toEqual(["gone"]);
  }, 180_000);

  it("refuses a malformed receiver naming the field", async () => {
    const bad = await nines(["receiver", "add", "bad", "--type", "pagerduty"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("config.routingKey");
  }, 60_000);
});
