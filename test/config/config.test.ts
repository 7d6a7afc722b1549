import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envName, inspectConfig, loadConfig } from "../../src/config/index.js";

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "nines-config-")), "nines.yaml");
  writeFileSync(path, text);
  return path;
}

describe("configuration", () => {
  it("runs with no file and no variables on documented defaults", () => {
    const { config, problems } = inspectConfig({ env: {}, file: undefined, cwd: tmpdir() });
    expect(problems).toEqual([]);
    expect(config.server).toMatchObject({ host: "127.0.0.1", port: 9099, bodyLimit: 1_048_576 });
    expect(config.database.sqlitePath).toBe("./data/nines.db");
    expect(config.database.url).toBeUndefined();
    expect(config.auth.requireTokenForReads).toBe(false);
  });

  it("reports each wrong field with its file, line and column", () => {
    const path = file("server:\n  port: seventy\n  hots: 0.0.0.0\nauth:\n  requireTokenForReads: maybe\n");
    const { problems } = inspectConfig({ file: path, env: {} });
    expect(problems).toEqual(
      expect.arrayContaining([
        { source: `${path}:2:9`, path: "server.port", message: "must be integer" },
        expect.objectContaining({
          source: expect.stringMatching(new RegExp(`^${path}:3:`)),
          path: "server.hots",
          message: "unknown field",
        }),
        expect.objectContaining({ source: `${path}:5:25`, path: "auth.requireTokenForReads" }),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it("reports YAML syntax errors with their line", () => {
    const path = file("server:\n  port: 1\n bad indent: [\n");
    const { problems } = inspectConfig({ file: path, env: {} });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.source).toMatch(new RegExp(`^${path}:\\d+:\\d+$`));
    expect(problems[0]!.path).toBe("(yaml)");
  });

  it("takes NINES_* variables over the file, coercing numbers and booleans", () => {
    const path = file("server:\n  port: 8000\n");
    const config = loadConfig({
      file: path,
      env: {
        NINES_SERVER_PORT: "8123",
        NINES_AUTH_REQUIRE_TOKEN_FOR_READS: "true",
        NINES_SERVER_BODY_LIMIT: "4096",
      },
    });
    expect(config.server.port).toBe(8123);
    expect(config.server.bodyLimit).toBe(4096);
    expect(config.auth.requireTokenForReads).toBe(true);
  });

  it("names the variable when an environment value is wrong", () => {
    const { problems } = inspectConfig({ env: { NINES_SERVER_PORT: "eighty" }, file: undefined });
    expect(problems).toEqual([
      { source: "env NINES_SERVER_PORT", path: "server.port", message: 'must be integer, got "eighty"' },
    ]);
  });

  it("reads DATABASE_URL when NINES_DATABASE_URL is not set", () => {
    expect(loadConfig({ env: { DATABASE_URL: "postgres://db/nines" } }).database.url).toBe(
      "postgres://db/nines",
    );
    expect(
      loadConfig({ env: { DATABASE_URL: "postgres://db/a", NINES_DATABASE_URL: "postgres://db/b" } }).database
        .url,
    ).toBe("postgres://db/b");
  });

  it("rejects out-of-range values with the bound", () => {
    const { problems } = inspectConfig({ env: { NINES_SERVER_PORT: "70000" } });
    expect(problems[0]).toMatchObject({ path: "server.port", message: expect.stringContaining("65535") });
  });

  it("derives variable names from field names", () => {
    expect(envName("auth", "requireTokenForReads")).toBe("NINES_AUTH_REQUIRE_TOKEN_FOR_READS");
    expect(envName("server", "bodyLimit")).toBe("NINES_SERVER_BODY_LIMIT");
  });

  it("throws a coded error listing every problem from loadConfig", () => {
    expect(() => loadConfig({ env: { NINES_SERVER_PORT: "x", NINES_LOG_LEVEL: "loud" } })).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_CONFIG_INVALID",
        message: expect.stringContaining("log.level"),
      }),
    );
  });
});
