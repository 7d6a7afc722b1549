import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

describe("nines signal send and nines page list|ack|resolve against a running nines", () => {
  let live: LiveServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    live = await startLiveServer();
    env = { NINES_URL: live.url, NINES_TOKEN: await live.token("write", "oncall-ana") };
  });
  afterAll(() => live.close());

  it("sends a signal that pages, lists it, acknowledges and resolves it", async () => {
    const sent = await runNinesAsync(
      [
        "signal",
        "send",
        "--source",
        "slo",
        "--severity",
        "page",
        "--service",
        "db",
        "--title",
        "Burn",
        "env=prod",
      ],
      { env },
    );
    expect(sent.stderr).toBe("");
    expect(sent.status).toBe(0);
    const id = /page (\d+)/.exec(sent.stdout)?.[1];
    expect(sent.stdout).toMatch(/^page by slo-page \(route\.routes\[0\]\) page \d+$/m);

    const logged = await runNinesAsync(
      ["signal", "send", "--service", "web", "--title", "Deploy done", "--output", "json"],
      { env },
    );
    expect(JSON.parse(logged.stdout)[0]).toMatchObject({ outcome: "log", rule: { name: "default" } });

    const list = JSON.parse((await runNinesAsync(["page", "list", "--output", "json"], { env })).stdout);
    expect(list.map((p: { id: number }) => String(p.id))).toEqual([id]);

    const acked = await runNinesAsync(["page", "ack", id as string], { env });
    expect(acked.stdout).toBe(`page ${id} acknowledged: Burn\n`);
    const resolved = await runNinesAsync(["page", "resolve", id as string], { env });
    expect(resolved.stdout).toBe(`page ${id} resolved: Burn\n`);
    const open = await runNinesAsync(["page", "list"], { env });
    expect(open.stdout).toBe("(none)\n");
    const all = await runNinesAsync(["page", "list", "--status", "resolved"], { env });
    expect(all.stdout).toMatch(
      new RegExp(`^${id}\\s+resolved\\s+db\\s+-\\s+Burn\\s+\\S+Z\\s+oncall-ana\\s+oncall-ana$`, "m"),
    );
  }, 300_000);

  it("exits 2 on a malformed page id or label and 1 when the page does not exist", async () => {
    expect((await runNinesAsync(["page", "ack", "abc"], { env })).status).toBe(2);
    const badLabel = await runNinesAsync(["signal", "send", "--service", "db", "--title", "x", "bad-label"], {
      env,
    });
    expect(badLabel.status).toBe(2);
    const missing = await runNinesAsync(["page", "ack", "99999"], { env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/NINES_ERR_PAGES_NOT_FOUND|no page 99999/);
  }, 300_000);
});
