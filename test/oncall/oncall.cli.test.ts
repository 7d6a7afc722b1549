import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

const example = join(import.meta.dirname, "..", "..", "examples", "oncall.yaml");

describe("nines oncall against a running server", { timeout: 180_000 }, () => {
  let live: LiveServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    live = await startLiveServer();
    dir = mkdtempSync(join(tmpdir(), "nines-oncall-cli-"));
    env = { NINES_URL: live.url, NINES_TOKEN: await live.token("write", "ana"), TZ: "UTC" };
  });
  afterAll(async () => {
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies the example document, then finds nothing to change in it", async () => {
    const first = await runNinesAsync(["oncall", "apply", "-f", example], { env });
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("schedules/storage-primary created");
    expect(first.stdout).toContain("services/checkout created");
    const again = await runNinesAsync(["oncall", "apply", "-f", example], { env });
    expect(again.status).toBe(0);
    expect(
      again.stdout
        .trim()
        .split("\n")
        .every((line) => line.endsWith(" unchanged")),
    ).toBe(true);
  });

  it("names the file, line and field of each problem and writes nothing", async () => {
    const broken = readFileSync(example, "utf8")
      .replace("timeZone: America/New_York\n", "timeZone: America/Nowhere\n")
      .replace("members: [lee, max, ana]", "members: [lee, max, ana, ghost]")
      .replace("name: Zoe Zimmer", "name: Zoe Renamed");
    const file = join(dir, "broken.yaml");
    writeFileSync(file, broken);
    const result = await runNinesAsync(["oncall", "apply", "-f", file], { env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ schedules\\[1\\]\\.layers\\[1\\]\\.rotation\\.timeZone: unknown time zone "America/Nowhere"`,
      ),
    );
    // Reference errors come from the server once the shape is right.
    writeFileSync(
      file,
      readFileSync(example, "utf8").replace("members: [lee, max, ana]", "members: [lee, max, ana, ghost]"),
    );
    const refs = await runNinesAsync(["oncall", "apply", "-f", file], { env });
    expect(refs.status).toBe(1);
    expect(refs.stderr).toMatch(/broken\.yaml:26:\d+ teams\[1\]\.members\[3\]: no person "ghost"/);
    const exported = await runNinesAsync(["oncall", "export"], { env });
    expect(JSON.parse(exported.stdout).people.find((p: { id: string }) => p.id === "zoe").name).toBe(
      "Zoe Zimmer",
    );
  });

  it("says who is on call at a time, in the schedule's zone", async () => {
    const result = await runNinesAsync(
      ["oncall", "now", "--team", "storage", "--at", "2026-03-30T06:59:00Z"],
      { env },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /Storage\s+storage-primary\s+Ben Brandt\s+Weekly\s+2026-03-30 09:00 CEST\s+ben@example\.com\s+Dee Dietrich at 2026-03-30 09:00 CEST/,
    );
    const json = await runNinesAsync(["oncall", "now", "--at", "2026-03-30T06:59:00Z", "--output", "json"], {
      env,
    });
    expect(JSON.parse(json.stdout).entries.map((e: { schedule: { id: string } }) => e.schedule.id)).toEqual([
      "payments-sun",
      "storage-primary",
    ]);
    const bad = await runNinesAsync(["oncall", "now", "--at", "yesterday"], { env });
    expect(bad.status).toBe(2);
  });

  it("prints a schedule's shifts with the override marked", async () => {
    const result = await runNinesAsync(
      [
        "oncall",
        "shifts",
        "storage-primary",
        "--from",
        "2026-03-31T15:00:00Z",
        "--to",
        "2026-04-01T07:00:00Z",
      ],
      { env },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("times in Europe/Berlin");
    expect(result.stdout).toMatch(/2026-03-31 17:00 CEST\s+2026-03-31 18:00 CEST\s+Chen Wei\s+Weekly/);
    expect(result.stdout).toMatch(/2026-03-31 18:00 CEST\s+2026-04-01 00:00 CEST\s+Zoe Zimmer\s+override/);
  });

  it("checks a schedule and exits 1 on imbalance, 0 when even", async () => {
    const uneven = await runNinesAsync(
      ["oncall", "check", "payments-sun", "--weeks", "2", "--from", "2026-04-06T00:00:00Z"],
      { env },
    );
    expect(uneven.status).toBe(1);
    expect(uneven.stdout).toContain("0 gap(s)");
    expect(uneven.stdout).toMatch(/imbalance\s+ana: 168\.0 h/);
    const even = await runNinesAsync(
      [
        "oncall",
        "check",
        "storage-primary",
        "--weeks",
        "3",
        "--from",
        "2026-04-06T07:00:00Z",
        "--tolerance",
        "1",
      ],
      { env },
    );
    expect(even.stdout).toContain("ok: 0 gap(s), 0 imbalance(s)");
    expect(even.status).toBe(0);
  });

  it("takes over the current shift in one command", async () => {
    const result = await runNinesAsync(
      ["oncall", "take-over", "storage-primary", "--person", "zoe", "--reason", "drill"],
      { env },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^zoe is on call for storage-primary until \d{4}-\d\d-\d\dT.*\(replacing (ana|ben|chen|dee)\)/,
    );
    const now = await runNinesAsync(["oncall", "now", "--team", "Storage", "--output", "json"], { env });
    expect(JSON.parse(now.stdout).entries[0]).toMatchObject({ personId: "zoe", override: true });
  });
});
