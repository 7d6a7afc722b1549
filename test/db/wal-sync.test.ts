import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "../../src/db/create-database.js";

/** A log sync the test lets finish, one call at a time. */
function gatedSync() {
  const pending: (() => void)[] = [];
  let open = true;
  return {
    calls: 0,
    get waiting() {
      return pending.length;
    },
    close() {
      open = false;
    },
    finishNext() {
      pending.shift()?.();
    },
    sync(): Promise<void> {
      this.calls++;
      return open ? Promise.resolve() : new Promise<void>((resolve) => pending.push(resolve));
    },
  };
}

const settled = async <T>(promise: Promise<T>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe("SQLite writes and the write-ahead log's sync", () => {
  let dir: string | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = async () => {
    dir = mkdtempSync(join(tmpdir(), "nines-wal-"));
    const gate = gatedSync();
    handle = createDatabase({ sqlitePath: join(dir, "n.db"), syncWal: () => gate.sync() });
    await sql`create table t (x integer)`.execute(handle.db);
    gate.close();
    gate.calls = 0;
    return { db: handle.db, gate };
  };
  const insert = (db: DatabaseHandle["db"], x: number) => sql`insert into t (x) values (${x})`.execute(db);
  const count = async (db: DatabaseHandle["db"]) =>
    (await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]!.n;

  it("resolves a write only once the log is synced, and serves other queries meanwhile", async () => {
    const { db, gate } = await open();
    const write = insert(db, 1);
    expect(await settled(write)).toBe(false);
    // Committed but not yet acknowledged: the connection is already free for others.
    expect(await count(db)).toBe(1);
    gate.finishNext();
    await write;
    expect(gate.calls).toBe(1);
  });

  it("shares one sync among the writes that wait for it, and makes a write during a sync wait for the next", async () => {
    const { db, gate } = await open();
    const first = insert(db, 1);
    await settled(first);
    const second = insert(db, 2);
    const third = db.transaction().execute(async (trx) => {
      await insert(trx, 3);
      await insert(trx, 4);
    });
    await settled(third);
    expect(gate.calls).toBe(1);
    gate.finishNext();
    await first;
    expect(await settled(second)).toBe(false);
    expect(gate.calls).toBe(2);
    gate.finishNext();
    await Promise.all([second, third]);
    expect(gate.calls).toBe(2);
  });

  it("does not sync for reads", async () => {
    const { db, gate } = await open();
    await count(db);
    await db.transaction().execute((trx) => count(trx));
    expect(gate.calls).toBe(0);
  });

  it("fails the write whose sync failed, and syncs again for the next", async () => {
    dir = mkdtempSync(join(tmpdir(), "nines-wal-"));
    let fail = false;
    handle = createDatabase({
      sqlitePath: join(dir, "n.db"),
      syncWal: async () => {
        if (fail) throw new Error("EIO: i/o error, fdatasync");
      },
    });
    await sql`create table t (x integer)`.execute(handle.db);
    fail = true;
    await expect(insert(handle.db, 1)).rejects.toThrow("fdatasync");
    fail = false;
    await insert(handle.db, 2);
    expect(await count(handle.db)).toBe(2);
  });

  it("flushes the real log file with fdatasync by default", async () => {
    dir = mkdtempSync(join(tmpdir(), "nines-wal-"));
    handle = createDatabase({ sqlitePath: join(dir, "n.db") });
    await sql`create table t (x integer)`.execute(handle.db);
    await Promise.all(Array.from({ length: 20 }, (_, i) => insert(handle!.db, i)));
    expect(await count(handle.db)).toBe(20);
  });
});

describe("the background checkpointer", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Writes 8 MB in 8 rounds a checkpoint interval apart; the size the log file grew to. */
  const logSizeAfterWrites = async () => {
    const dir = mkdtempSync(join(tmpdir(), "nines-ckpt-"));
    dirs.push(dir);
    const path = join(dir, "n.db");
    const handle = createDatabase({
      sqlitePath: path,
      backgroundCheckpoint: { onError: (m: string) => expect.fail(m), everyMs: 50 },
    });
    try {
      await sql`create table t (x blob)`.execute(handle.db);
      const row = Buffer.alloc(4000, 1);
      for (let round = 0; round < 8; round++) {
        await handle.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 256; i++) await sql`insert into t (x) values (${row})`.execute(trx);
        });
        await new Promise((r) => setTimeout(r, 400));
      }
      const n = (await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)).rows[0]!.n;
      expect(n).toBe(2048);
      return statSync(`${path}-wal`).size;
    } finally {
      await handle.close();
    }
  };

  it("copies the log into the database from a worker, so the writer's log stays short", async () => {
    // Without the worker, the writer checkpoints only past 64 MB: the log would hold all 8 MB written.
    expect(await logSizeAfterWrites()).toBeLessThan(3_000_000);
  });
});
