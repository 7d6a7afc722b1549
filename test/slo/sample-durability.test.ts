import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authStore } from "../../src/auth/auth.store.js";
import { createDatabase } from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { spawnNines } from "../support/cli.js";
import { createPostgresDatabase, dropPostgresDatabase, postgresAvailable } from "../support/databases.js";
import { ratioSpec } from "../support/specs.js";

const SLO = "checkout/availability";
const HOUR = 3_600_000;

function serve(env: NodeJS.ProcessEnv): { process: ChildProcess; url: Promise<string> } {
  const child = spawnNines(["serve", "--port", "0", "--log-format", "json"], {
    env: { NINES_SLO_FOLLOW_INTERVAL_MS: "200", ...env },
  });
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

async function writeToken(options: { sqlitePath?: string; url?: string }): Promise<string> {
  const handle = createDatabase({ sqlitePath: options.sqlitePath ?? "", url: options.url });
  await migrateToLatest(handle.db, handle.dialect);
  const { token } = await authStore(handle.db).createToken("pusher", "write");
  await handle.close();
  return token;
}

const post = async (url: string, path: string, token: string, body: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Good and total events over the last `windowMs` window the SLO detail reports. */
async function windowTotals(
  url: string,
  windowMs: number,
): Promise<{ good: number; total: number } | undefined> {
  const response = await fetch(`${url}/api/v1/slos/${SLO}`);
  if (response.status !== 200) return undefined;
  const detail = (await response.json()) as { windows: { windowMs: number; good: number; total: number }[] };
  const w = detail.windows.find((x) => x.windowMs === windowMs);
  return w ? { good: w.good, total: w.total } : undefined;
}

/** Every batch of 100 samples: one per 10 s ending `endMs`, `bad` of 100 events failing in each. */
function batch(endMs: number, bad: number) {
  return Array.from({ length: 100 }, (_, i) => ({ slo: SLO, ts: endMs - i * 10_000, bad, total: 100 }));
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await read().catch(() => undefined as T);
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read().catch(() => undefined as T);
  }
  return last;
}

describe("durable sample ingest", () => {
  const dirs: string[] = [];
  const processes: ChildProcess[] = [];
  afterAll(() => {
    for (const p of processes) p.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("keeps every acknowledged sample when the process is killed right after the 2xx", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nines-durable-"));
    dirs.push(dir);
    const sqlitePath = join(dir, "nines.db");
    const token = await writeToken({ sqlitePath });
    const env = { NINES_DATABASE_SQLITE_PATH: sqlitePath };
    const first = serve(env);
    processes.push(first.process);
    const url = await first.url;
    expect(
      (await post(url, "/api/v1/slos/apply", token, { files: [{ path: "a.yaml", text: ratioSpec() }] }))
        .status,
    ).toBe(200);
    const now = Date.now();
    // Three concurrent batches (they may share one commit), then SIGKILL as soon as all are acknowledged.
    const acks = await Promise.all([
      post(url, "/api/v1/sli/samples", token, { samples: batch(now - 2_000_000, 1) }),
      post(url, "/api/v1/sli/samples", token, { samples: batch(now - 1_000_000, 2) }),
      post(url, "/api/v1/sli/samples", token, { samples: batch(now, 3) }),
    ]);
    first.process.kill("SIGKILL");
    expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(acks.map((a) => a.body.accepted)).toEqual([100, 100, 100]);
    await new Promise((r) => first.process.once("exit", r));

    const second = serve(env);
    processes.push(second.process);
    const again = await second.url;
    const totals = await windowTotals(again, HOUR);
    expect(totals).toBeDefined();
    // The 1 h window holds the samples within the last hour: 360 samples of the three batches.
    const inHour = [...batch(now - 2_000_000, 1), ...batch(now - 1_000_000, 2), ...batch(now, 3)].filter(
      (s) => s.ts > now - HOUR,
    );
    expect(totals!.total).toBe(inHour.length * 100);
    expect(totals!.total - totals!.good).toBe(inHour.reduce((sum, s) => sum + s.bad, 0));
    // A retry of an acknowledged batch after the restart changes nothing.
    const retry = await post(again, "/api/v1/sli/samples", token, { samples: batch(now, 3) });
    expect(retry.body).toEqual({ accepted: 0, unchanged: 100 });
    expect(await windowTotals(again, HOUR)).toEqual(totals);
    second.process.kill("SIGKILL");
  }, 120_000);

  it.skipIf(!postgresAvailable())(
    "lets a second replica on PostgreSQL rebuild from the batches and follow them, corrections included",
    async () => {
      const databaseUrl = await createPostgresDatabase();
      try {
        const token = await writeToken({ url: databaseUrl });
        const a = serve({ DATABASE_URL: databaseUrl });
        processes.push(a.process);
        const urlA = await a.url;
        expect(
          (await post(urlA, "/api/v1/slos/apply", token, { files: [{ path: "a.yaml", text: ratioSpec() }] }))
            .status,
        ).toBe(200);
        const now = Date.now();
        expect((await post(urlA, "/api/v1/sli/samples", token, { samples: batch(now, 1) })).status).toBe(200);
        // B starts after the spec exists; it rebuilds from the log, then follows it.
        const b = serve({ DATABASE_URL: databaseUrl });
        processes.push(b.process);
        const urlB = await b.url;
        // A correction of one sample within the hour, through B, replaces it in place on both replicas.
        const correction = await post(urlB, "/api/v1/sli/samples", token, {
          samples: [{ slo: SLO, ts: now, bad: 50, total: 100 }],
        });
        expect(correction).toEqual({ status: 200, body: { accepted: 1, unchanged: 0 } });
        const expected = { good: 100 * 100 - 99 - 50, total: 100 * 100 };
        const onA = await eventually(
          () => windowTotals(urlA, 6 * HOUR),
          (t) => t?.good === expected.good,
        );
        const onB = await eventually(
          () => windowTotals(urlB, 6 * HOUR),
          (t) => t?.good === expected.good,
        );
        expect(onA).toEqual(expected);
        expect(onB).toEqual(expected);
        a.process.kill("SIGKILL");
        b.process.kill("SIGKILL");
        await Promise.all([a.process, b.process].map((p) => new Promise((r) => p.once("exit", r))));
      } finally {
        await dropPostgresDatabase(databaseUrl);
      }
    },
    120_000,
  );
});
