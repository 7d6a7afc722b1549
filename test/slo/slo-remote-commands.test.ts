import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runNinesAsync } from "../support/cli.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";

describe("nines slo apply, list and delete against a running nines", () => {
  let live: LiveServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    live = await startLiveServer();
    env = { NINES_URL: live.url, NINES_TOKEN: await live.token("write", "ci") };
  });
  afterAll(() => live.close());

  it("applies the example specs of all three formats, lists them and deletes one", async () => {
    const applied = await runNinesAsync(["slo", "apply", "-f", join(repoRoot, "examples", "slos")], { env });
    expect(applied.stderr).not.toMatch(/error/i);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toMatch(/^checkout\/availability created$/m);
    const again = await runNinesAsync(["slo", "apply", "-f", join(repoRoot, "examples", "slos")], { env });
    expect(again.stdout).toMatch(/^checkout\/availability unchanged$/m);

    const list = JSON.parse((await runNinesAsync(["slo", "list", "--output", "json"], { env })).stdout) as {
      id: string;
      state: string;
    }[];
    expect(list.map((s) => s.id)).toContain("checkout/availability");
    expect(list.every((s) => s.state === "no data")).toBe(true);

    expect((await runNinesAsync(["slo", "delete", "checkout/availability"], { env })).status).toBe(0);
    const after = JSON.parse((await runNinesAsync(["slo", "list", "--output", "json"], { env })).stdout) as {
      id: string;
    }[];
    expect(after.map((s) => s.id)).not.toContain("checkout/availability");
  }, 180_000);

  it("prints the server's diagnostics with file and line and exits 1 for an invalid spec", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nines-apply-"));
    writeFileSync(
      join(dir, "bad.yaml"),
      "apiVersion: nines/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  service: s\n  sli:\n    ratio:\n      count: good\n  objective:\n    target: 0\n  window:\n    rolling: 30d\n",
    );
    const result = await runNinesAsync(["slo", "apply", "-f", dir], { env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:11:\d+/);
  }, 60_000);

  it("refuses to apply without a write token", async () => {
    const result = await runNinesAsync(["slo", "apply", "-f", join(repoRoot, "examples", "slos")], {
      env: { NINES_URL: live.url },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("NINES_ERR_AUTH_UNAUTHENTICATED");
  }, 60_000);
});
