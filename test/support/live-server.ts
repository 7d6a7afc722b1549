import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authStore } from "../../src/auth/auth.store.js";
import type { Scope } from "../../src/auth/auth.tables.js";
import type { Config } from "../../src/config/config-schema.js";
import { defaultConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/server/logger.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";

export interface LiveServer {
  readonly server: RunningServer;
  readonly url: string;
  token(scope: Scope, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real server listening on a free port of 127.0.0.1, on a temp SQLite file. */
export async function startLiveServer(auth: Partial<Config["auth"]> = {}): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), "nines-live-"));
  const base = defaultConfig();
  const config: Config = {
    ...base,
    server: { ...base.server, port: 0 },
    database: { ...base.database, sqlitePath: join(dir, "nines.db") },
    auth: { ...base.auth, ...auth },
  };
  const server = await startServer({ config, logger: createLogger({ level: "warn", pretty: false }) });
  return {
    server,
    url: server.url,
    token: async (scope, name = `${scope}-user`) =>
      (await authStore(server.database.db).createToken(name, scope)).token,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
