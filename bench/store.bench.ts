/**
 * Store write and read through nines' Kysely layer on SQLite (WAL, synchronous=FULL) and on a
 * throwaway PostgreSQL cluster, next to the raw driver (better-sqlite3 / pg) doing the same
 * statements, so the figure is the layer's overhead rather than the disk's speed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { createDatabase, type DatabaseHandle } from "../src/db/create-database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { startPostgresCluster } from "../test/support/postgres-cluster.js";
import { figure, opsPerSecond, ratio } from "./support/figures.js";

const MS = 2_000;
const row = (i: number) => ({
  at: i,
  actor: "bench",
  action: "bench.write",
  subject: `s${i}`,
  details: "{}",
});

async function measureKysely(handle: DatabaseHandle) {
  let i = 0;
  const write = await opsPerSecond(() => handle.db.insertInto("audit_log").values(row(i++)).execute(), MS);
  let j = 0;
  const read = await opsPerSecond(
    () =>
      handle.db
        .selectFrom("audit_log")
        .selectAll()
        .where("id", "=", (j++ % 100) + 1)
        .executeTakeFirst(),
    MS,
  );
  return { write, read };
}

const dir = mkdtempSync(join(tmpdir(), "nines-bench-store-"));
try {
  const sqlitePath = join(dir, "n.db");
  const sqlite = createDatabase({ sqlitePath });
  await migrateToLatest(sqlite.db, "sqlite");
  const ours = await measureKysely(sqlite);
  await sqlite.close();

  const raw = new SQLite(sqlitePath);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  const insert = raw.prepare(
    "insert into audit_log (at, actor, action, subject, details) values (?, ?, ?, ?, ?)",
  );
  const select = raw.prepare("select * from audit_log where id = ?");
  let k = 0;
  const rawWrite = await opsPerSecond(() => {
    const r = row(k++);
    insert.run(r.at, r.actor, r.action, r.subject, r.details);
  }, MS);
  const rawRead = await opsPerSecond(() => select.get((k++ % 100) + 1), MS);
  raw.close();
  figure(
    "sqlite store write (1 row/transaction, fsync)",
    ours.write,
    "ops/s",
    ratio(ours.write, rawWrite, "raw better-sqlite3"),
  );
  figure("sqlite store read by key", ours.read, "ops/s", ratio(ours.read, rawRead, "raw better-sqlite3"));

  const cluster = await startPostgresCluster();
  if (!cluster) {
    process.stdout.write("postgres store: SKIPPED (PostgreSQL is not installed)\n");
  } else {
    try {
      const postgres = createDatabase({ url: cluster.url, sqlitePath: "", poolSize: 4 });
      await migrateToLatest(postgres.db, "postgres");
      const pgOurs = await measureKysely(postgres);
      await postgres.close();
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      let m = 0;
      const pgRawWrite = await opsPerSecond(() => {
        const r = row(m++);
        return client.query(
          "insert into audit_log (at, actor, action, subject, details) values ($1, $2, $3, $4, $5)",
          [r.at, r.actor, r.action, r.subject, r.details],
        );
      }, MS);
      const pgRawRead = await opsPerSecond(
        () => client.query("select * from audit_log where id = $1", [(m++ % 100) + 1]),
        MS,
      );
      await client.end();
      figure(
        "postgres store write (1 row/transaction)",
        pgOurs.write,
        "ops/s",
        ratio(pgOurs.write, pgRawWrite, "raw pg"),
      );
      figure("postgres store read by key", pgOurs.read, "ops/s", ratio(pgOurs.read, pgRawRead, "raw pg"));
    } finally {
      cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
