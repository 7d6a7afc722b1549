import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnNines } from "../support/cli.js";
import { createPostgresDatabase, dropPostgresDatabase, postgresAvailable } from "../support/databases.js";

interface Replica {
  readonly process: ChildProcess;
  readonly url: Promise<string>;
}

function startReplica(databaseUrl: string): Replica {
  const child = spawnNines(["serve", "--port", "0", "--log-format", "json"], {
    env: { DATABASE_URL: databaseUrl, NINES_LEADER_RETRY_INTERVAL_MS: "300" },
  });
  const url = new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /nines is running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) =>
      reject(new Error(`replica exited with ${code} before listening:\n${output}`)),
    );
  });
  return { process: child, url };
}

async function isLeader(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/version`);
  return ((await response.json()) as { leader: boolean }).leader;
}

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe.skipIf(!postgresAvailable())("leader election on PostgreSQL", () => {
  let databaseUrl: string;
  const replicas: Replica[] = [];
  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const r of replicas) r.process.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
    await dropPostgresDatabase(databaseUrl);
  });

  it("keeps exactly one leader among two processes and hands over within seconds after SIGKILL", async () => {
    const first = startReplica(databaseUrl);
    replicas.push(first);
    const firstUrl = await first.url;
    expect(await waitFor(() => isLeader(firstUrl), 10_000)).toBe(true);

    const second = startReplica(databaseUrl);
    replicas.push(second);
    const secondUrl = await second.url;
    // The follower keeps trying every 300 ms; over a few tries it must stay a follower.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await isLeader(secondUrl)).toBe(false);
    expect(await isLeader(firstUrl)).toBe(true);

    first.process.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await waitFor(() => isLeader(secondUrl), 10_000)).toBe(true);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(10_000);

    const metrics = await (await fetch(`${secondUrl}/metrics`)).text();
    expect(metrics).toMatch(/^nines_leader 1$/m);
  });

  it("releases leadership on a clean shutdown so another replica takes over", async () => {
    const a = startReplica(databaseUrl);
    const aUrl = await a.url;
    const current = replicas[1]!;
    const currentUrl = await current.url;
    expect(await isLeader(currentUrl)).toBe(true);
    expect(await isLeader(aUrl)).toBe(false);
    current.process.kill("SIGTERM");
    await new Promise((resolve) => current.process.once("exit", resolve));
    expect(await waitFor(() => isLeader(aUrl), 10_000)).toBe(true);
    replicas.push(a);
  });
});
