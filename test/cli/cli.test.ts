import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runNines } from "../support/cli.js";

const workdir = () => mkdtempSync(join(tmpdir(), "nines-cli-"));

describe("the nines command", () => {
  it("prints help for the program and for each command", () => {
    const top = runNines(["--help"]);
    expect(top.status).toBe(0);
    for (const command of ["serve", "config", "db", "token", "version"])
      expect(top.stdout).toContain(command);
    const token = runNines(["token", "create", "--help"]);
    expect(token.status).toBe(0);
    expect(token.stdout).toContain("--scope");
  });

  it("prints its version", () => {
    const result = runNines(["version", "--output", "json"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      nines: expect.stringMatching(/^\d+\.\d+\.\d+/),
      node: process.version,
    });
  });

  it("exits 2 on an unknown command and suggests the right one", () => {
    const result = runNines(["sever"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("serve");
  });

  it("creates a token once and lists it without its secret", () => {
    const cwd = workdir();
    const created = runNines(["token", "create", "--name", "ci", "--scope", "write"], { cwd });
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^nines_[0-9a-f]{16}_/);
    const list = runNines(["token", "list", "--output", "json"], { cwd });
    const rows = JSON.parse(list.stdout);
    expect(rows).toEqual([expect.objectContaining({ name: "ci", scope: "write", revoked: null })]);
    expect(list.stdout).not.toContain(token.slice(23));
  });

  it("refuses an unknown scope with exit 2", () => {
    const result = runNines(["token", "create", "--name", "x", "--scope", "root"], { cwd: workdir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("root");
  });

  it("checks the configuration and exits 1 with file, line and field on errors", () => {
    const cwd = workdir();
    writeFileSync(join(cwd, "nines.yaml"), "server:\n  port: 99999\n");
    const bad = runNines(["config", "check"], { cwd });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/nines\.yaml:2:9: server\.port: must be <= 65535/);
    writeFileSync(join(cwd, "nines.yaml"), "server:\n  port: 9000\n");
    const good = runNines(["config", "check"], { cwd });
    expect(good.status).toBe(0);
    expect(good.stdout).toContain("configuration is valid");
  });

  it("migrates the database on demand and reports it current afterwards", () => {
    const cwd = workdir();
    const first = runNines(["db", "migrate"], { cwd });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\) on sqlite/);
    const status = runNines(["db", "status"], { cwd });
    expect(status.status).toBe(0);
    expect(status.stdout).toContain("schema is current");
  });
});
