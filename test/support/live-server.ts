import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authStore } from "../../src/auth/auth.store.js";
import type { Scope } from "../../src/auth/auth.tables.js";
import { createLogger } from "../../src/server/logger.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import { type ConfigOverrides, configWith } from "./config-overrides.js";

export interface LiveServer {
  readonly server: RunningServer;
  readonly url: string;
  token(scope: Scope, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real server listening on a free port of 127.0.0.1, on a temp SQLite file. */
export async function startLiveServer(overrides: ConfigOverrides = {}): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), "nines-live-"));
  const config = configWith({
    ...overrides,
    server: { port: 0, ...overrides.server },
    database: { sqlitePath: join(dir, "nines.db"), ...overrides.database },
  });
  const server = await startServer({ config, logger: createLogger({ level: "error", pretty: false }) });
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
