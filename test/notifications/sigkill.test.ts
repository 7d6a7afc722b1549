import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken } from "../../src/auth/token.js";
import { runNinesAsync, spawnNines } from "../support/cli.js";
import { type FakeServer, startFakeServer } from "./fake-receivers.js";

const TOTAL = 1_000;

function serve(env: NodeJS.ProcessEnv): { process: ChildProcess; url: Promise<string> } {
  const child = spawnNines(["serve", "--port", "0", "--log-format", "json"], { env });
  const url = new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /nines is running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`nines exited with ${code} before listening:\n${output}`)));
  });
  return { process: child, url };
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe("notifications survive SIGKILL of nines serve", () => {
  let dir: string;
  let receiver: FakeServer;
  const children: ChildProcess[] = [];
  const token = generateToken().token;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nines-sigkill-"));
    // A slow receiver: each delivery takes 15 ms, so 1,000 take a few seconds at concurrency 8.
    receiver = await startFakeServer(async () => {
      await new Promise((r) => setTimeout(r, 15));
      return { status: 200 };
    });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers all 1,000 queued notifications at least once after a restart, duplicates with the same dedup key", async () => {
    const env = {
      NINES_DATABASE_SQLITE_PATH: join(dir, "nines.db"),
      NINES_ADMIN_TOKEN: token,
      NINES_NOTIFICATIONS_ALLOWED_HOSTS: "127.0.0.1",
      NINES_NOTIFICATIONS_CONCURRENCY: "8",
      NINES_LOG_LEVEL: "warn",
    };
    const first = serve(env);
    children.push(first.process);
    const url = await first.url;
    const cli = (args: string[]) => runNinesAsync([...args, "--url", url, "--token", token]);
    const added = await cli([
      "receiver",
      "add",
      "slow",
      "--type",
      "webhook",
      "--endpoint",
      `${receiver.url}/hook`,
    ]);
    expect(added.status, added.stderr).toBe(0);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const subjects: string[] = [];
    for (const event of ["trigger", "resolve"]) {
      const res = await fetch(`${url}/api/v1/notifications/test`, {
        method: "POST",
        headers,
        body: JSON.stringify({ receiver: "slow", count: TOTAL / 2, event }),
      });
      expect(res.status).toBe(202);
      subjects.push(((await res.json()) as { subject: string }).subject);
    }
    // Kill the server in the middle of delivery.
    expect(await waitFor(() => receiver.requests.length >= 200, 60_000)).toBe(true);
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));
    const beforeRestart = new Set(receiver.requests.map((r) => r.headers["idempotency-key"]));
    expect(beforeRestart.size).toBeLessThan(TOTAL);

    const second = serve(env);
    children.push(second.process);
    const url2 = await second.url;
    const keys = () => new Set(receiver.requests.map((r) => String(r.headers["idempotency-key"])));
    expect(await waitFor(() => keys().size === TOTAL, 120_000)).toBe(true);

    // Every queued notification arrived; a notification sent twice carried the same key and id.
    const byKey = new Map<string, Set<number>>();
    for (const r of receiver.requests) {
      const body = r.json as { id: number; dedupKey: string; message: { event: string } };
      expect(body.dedupKey).toBe(r.headers["idempotency-key"]);
      const ids = byKey.get(body.dedupKey) ?? new Set();
      ids.add(body.id);
      byKey.set(body.dedupKey, ids);
    }
    expect(byKey.size).toBe(TOTAL);
    for (const ids of byKey.values()) expect(ids.size).toBe(1);
    const resolves = receiver.requests.filter(
      (r) => (r.json as { message: { event: string } }).message.event === "resolve",
    );
    expect(new Set(resolves.map((r) => r.headers["idempotency-key"])).size).toBe(TOTAL / 2);

    // And the outbox agrees once the last results are recorded.
    expect(
      await waitFor(async () => {
        const pending = await fetch(`${url2}/api/v1/notifications?status=pending&limit=1`, { headers });
        return ((await pending.json()) as unknown[]).length === 0;
      }, 30_000),
    ).toBe(true);
    const listed = await runNinesAsync([
      "notification",
      "list",
      "--subject",
      subjects[1]!,
      "--limit",
      "5",
      "--url",
      url2,
      "--token",
      token,
    ]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/resolve\s+signal:test-\w+\s+slow\s+delivered/);
    second.process.kill("SIGTERM");
    await new Promise((resolve) => second.process.once("exit", resolve));
  }, 240_000);
});
