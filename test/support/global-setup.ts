import type { TestProject } from "vitest/node";
import { type PostgresCluster, startPostgresCluster } from "./postgres-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test PostgreSQL cluster's maintenance database, or "" when none is available. */
    pgUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

/** Starts one PostgreSQL cluster for the whole run; each test file makes its own database in it. */
export default async function setup(project: TestProject) {
  const external = process.env["NINES_TEST_PG_URL"];
  if (external) {
    project.provide("pgUrl", external);
    return;
  }
  cluster = await startPostgresCluster();
  if (!cluster) {
    const message =
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): every PostgreSQL test is SKIPPED. " +
      "Install the Debian package `postgresql` (bash .ci/run does) to run them.";
    if (process.env["CI"]) throw new Error(message);
    process.stderr.write(`\n\u001b[41;97m WARNING \u001b[0m ${message}\n\n`);
  }
  project.provide("pgUrl", cluster?.url ?? "");
  return () => cluster?.stop();
}
