import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

describe("nines incident and nines postmortem against a running nines", () => {
  let live: LiveServer;
  let env: NodeJS.ProcessEnv;
  let readEnv: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), "nines-pm-"));
  beforeAll(async () => {
    live = await startLiveServer({ incidents: { detectorEnabled: false } });
    env = { NINES_URL: live.url, NINES_TOKEN: await live.token("write", "alice") };
    readEnv = { NINES_URL: live.url, NINES_TOKEN: await live.token("read", "rita") };
  });
  afterAll(() => live.close());

  it("declares, lists, shows and resolves an incident, printing the rules that require a postmortem", async () => {
    const declared = await runNinesAsync(
      [
        "incident",
        "declare",
        "--title",
        "Checkout 5xx",
        "--severity",
        "SEV2",
        "--service",
        "checkout",
        "--page",
        "page-5",
        "--commander",
        "alice",
        "--note",
        "5xx at 12%",
      ],
      { env },
    );
    expect(declared.stderr).toBe("");
    expect(declared.status).toBe(0);
    const id = /declared (inc-\d+)/.exec(declared.stdout)?.[1];
    expect(id).toBeDefined();

    const list = await runNinesAsync(["incident", "list", "--status", "open"], { env });
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+SEV2\\s+investigating\\s+Checkout 5xx`, "m"));
    const json = JSON.parse((await runNinesAsync(["incident", "list", "--output", "json"], { env })).stdout);
    expect(json[0]).toMatchObject({ id, source: "page", pageIds: ["page-5"] });

    const show = await runNinesAsync(["incident", "show", id!], { env });
    expect(show.status).toBe(0);
    expect(show.stdout).toContain("roles: commander alice");
    expect(show.stdout).toMatch(/note\s+5xx at 12% \(alice\)/);

    const refused = await runNinesAsync(["incident", "resolve", id!], { env: readEnv });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("NINES_ERR_AUTH_FORBIDDEN");

    const resolved = await runNinesAsync(["incident", "resolve", id!, "--note", "config reverted"], { env });
    expect(resolved.status).toBe(0);
    expect(resolved.stdout).toContain(`resolved ${id}`);
    expect(resolved.stdout).toMatch(/severity: Severity SEV2 always requires a postmortem/);
  }, 120_000);

  it("exports a postmortem to a file and imports an edited copy", async () => {
    const [incident] = JSON.parse(
      (await runNinesAsync(["incident", "list", "--output", "json"], { env })).stdout,
    );
    const created = await fetch(`${live.url}/api/v1/incidents/${incident.id}/postmortem`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.NINES_TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(created.status).toBe(201);
    const file = join(dir, "pm.md");
    const exported = await runNinesAsync(["postmortem", "export", incident.id, "--out", file], { env });
    expect(exported.status).toBe(0);
    const md = readFileSync(file, "utf8");
    expect(md).toMatch(/^---\nid: pm-\d+/);
    const toStdout = await runNinesAsync(["postmortem", "export", incident.id], { env });
    expect(toStdout.stdout).toBe(md);

    writeFileSync(
      file,
      md.replace("## Root causes\n", "## Root causes\n\nA config without a schema check.\n"),
    );
    const imported = await runNinesAsync(["postmortem", "import", incident.id, file], { env });
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/imported pm-\d+ \(draft\)/);
    const again = await runNinesAsync(["postmortem", "export", incident.id], { env });
    expect(again.stdout).toContain("A config without a schema check.");

    writeFileSync(file, "no front matter\n");
    const broken = await runNinesAsync(["postmortem", "import", incident.id, file], { env });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain("NINES_ERR_POSTMORTEM_MARKDOWN_INVALID");
  }, 120_000);

  it("exits 2 on bad usage and 1 on an unknown incident", async () => {
    const badSeverity = await runNinesAsync(
      ["incident", "declare", "--title", "x", "--severity", "SEV9", "--service", "a"],
      { env },
    );
    expect(badSeverity.status).toBe(2);
    const noService = await runNinesAsync(["incident", "declare", "--title", "x", "--severity", "SEV3"], {
      env,
    });
    expect(noService.status).toBe(2);
    const badId = await runNinesAsync(["postmortem", "export", "42"], { env });
    expect(badId.status).toBe(2);
    const unknown = await runNinesAsync(["incident", "show", "inc-999"], { env });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("NINES_ERR_INCIDENT_NOT_FOUND");
  }, 120_000);
});
