import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

describe("nines ticket, silence and log commands against a running nines", () => {
  let live: LiveServer;
  let env: NodeJS.ProcessEnv;
  let readEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    live = await startLiveServer();
    env = { NINES_URL: live.url, NINES_TOKEN: await live.token("write", "ana") };
    readEnv = { NINES_URL: live.url, NINES_TOKEN: await live.token("read", "viewer") };
    const tickets = live.server.domains.tickets.tickets;
    await tickets.create({ team: "storage", service: "db", title: "Replica lag", priority: "p2" }, "ana");
    await tickets.create(
      {
        team: "storage",
        service: "db",
        title: "Vacuum overdue",
        priority: "p3",
        dueAt: Date.now() - 86_400_000,
      },
      "ana",
    );
    await tickets.create({ team: "web", service: "www", title: "Cert renew" }, "ana");
    const db = live.server.database.db;
    await db.transaction().execute(async (trx) => {
      for (const [i, env] of ["prod", "staging", "prod"].entries()) {
        await live.server.domains.tickets.eventLog.append(trx, {
          at: Date.now() - (i + 1) * 60_000,
          source: "api",
          service: "db",
          title: `Checkpoint took long ${i}`,
          labels: { env },
        });
      }
    });
  });
  afterAll(() => live.close());

  it("lists a team's queue and its overdue tickets, shows one and moves it along", async () => {
    const list = await runNinesAsync(["ticket", "list", "--team", "storage"], { env });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+PRIORITY\s+STATUS\s+TEAM/m);
    expect(list.stdout).toContain("Replica lag");
    expect(list.stdout).not.toContain("Cert renew");
    const overdue = JSON.parse(
      (await runNinesAsync(["ticket", "list", "--overdue", "--output", "json"], { env })).stdout,
    );
    expect(overdue.map((t: { title: string }) => t.title)).toEqual(["Vacuum overdue"]);
    const id = overdue[0].id as string;

    const update = await runNinesAsync(
      ["ticket", "update", id, "--status", "in-progress", "--assignee", "ben", "-m", "on it"],
      { env },
    );
    expect(update.stderr).toBe("");
    expect(update.stdout).toMatch(new RegExp(`^#${id} in-progress p3 assignee ben`));
    const show = await runNinesAsync(["ticket", "show", id], { env });
    expect(show.stdout).toContain("status    in-progress (overdue)");
    expect(show.stdout).toMatch(/ana changed status open → in-progress; assignee nobody → ben/);
    expect(show.stdout).toMatch(/ana: on it/);

    await runNinesAsync(["ticket", "update", id, "--status", "done"], { env });
    const refused = await runNinesAsync(["ticket", "update", id, "--status", "in-progress"], { env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("NINES_ERR_SIGNALS_TICKET_TRANSITION_INVALID");
  }, 300_000);

  it("exits 2 for bad usage and 1 when a read token tries to change a ticket", async () => {
    expect((await runNinesAsync(["ticket", "update", "1"], { env })).status).toBe(2);
    expect((await runNinesAsync(["ticket", "update", "1", "--due", "someday"], { env })).status).toBe(2);
    expect((await runNinesAsync(["ticket", "list", "--status", "closedish"], { env })).status).toBe(2);
    const denied = await runNinesAsync(["ticket", "update", "1", "--status", "done"], { env: readEnv });
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain("NINES_ERR_AUTH_FORBIDDEN");
  }, 300_000);

  it("adds a silence, lists it as active and expires it", async () => {
    const added = await runNinesAsync(
      [
        "silence",
        "add",
        "service=db",
        'env=~"prod|staging"',
        "--duration",
        "2h",
        "--comment",
        "failover drill",
      ],
      { env },
    );
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    const id = added.stdout.split(" ")[0]!;
    expect(added.stdout).toContain("active until");
    const list = await runNinesAsync(["silence", "list"], { env });
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+active\\s+service="db" env=~"prod\\|staging"`));
    expect(list.stdout).toContain("ana");
    expect((await runNinesAsync(["silence", "expire", id], { env })).stdout).toBe(`${id} expired\n`);
    const expired = JSON.parse(
      (await runNinesAsync(["silence", "list", "--state", "expired", "--output", "json"], { env })).stdout,
    );
    expect(expired.map((s: { id: string }) => s.id)).toEqual([id]);
  }, 300_000);

  it("refuses a silence without --duration or --end, and one the server finds invalid", async () => {
    expect((await runNinesAsync(["silence", "add", "service=db", "-c", "x"], { env })).status).toBe(2);
    const bad = await runNinesAsync(["silence", "add", 'env=~".*"', "-d", "1h", "-c", "x"], { env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("body.matchers");
  }, 300_000);

  it("searches the event log by service, label and words", async () => {
    const result = await runNinesAsync(
      ["log", "search", "--service", "db", "-m", 'env="prod"', "--since", "1h", "checkpoint"],
      {
        env,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Checkpoint took long 0/);
    expect(result.stdout).toMatch(/Checkpoint took long 2/);
    expect(result.stdout).not.toMatch(/Checkpoint took long 1/);
    const bad = await runNinesAsync(["log", "search", "-m", "env~prod"], { env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("querystring.match[0]");
  }, 300_000);
});
