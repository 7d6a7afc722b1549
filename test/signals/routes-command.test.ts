import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runNines } from "../support/cli.js";

const routing = `route:
  name: default
  classify: log
  receiver: email
  routes:
    - name: storage
      matchers: ['service=~"db|db-replica"']
      team: storage
      escalation: storage-primary
      routes:
        - { name: db-critical, matchers: ["severity=critical"], classify: page, receiver: pager }
`;

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "nines-routes-")), "routing.yaml");
  writeFileSync(path, text);
  return path;
}

describe("nines routes", () => {
  it("names the rule, receiver, team and escalation that page for a critical database signal", () => {
    const result = runNines([
      "routes",
      "test",
      "-f",
      file(routing),
      "service=db",
      "severity=critical",
      "--expect",
      "page",
      "--output",
      "json",
    ]);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout.slice(0, result.stdout.lastIndexOf("}") + 1));
    expect(out).toMatchObject({
      outcome: "page",
      rule: { name: "db-critical", path: "route.routes[0].routes[0]" },
      receiver: "pager",
      team: "storage",
      escalation: "storage-primary",
    });
  });

  it("exits 1 when --expect differs, saying what decided instead", () => {
    const result = runNines([
      "routes",
      "test",
      "-f",
      file(routing),
      "service=web",
      "severity=critical",
      "--expect",
      "page",
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("expected page, got log by default (route)");
  });

  it("exits 2 on a malformed label argument and 1 on a routing file with a bad field", () => {
    expect(runNines(["routes", "test", "service"]).status).toBe(2);
    const badOutcome = runNines(["routes", "check", file("route:\n  classify: pager\n")]);
    expect(badOutcome.status).toBe(1);
    expect(badOutcome.stderr).toContain('route.classify: must be one of "page", "ticket", "log"');
    const badDuration = runNines(["routes", "check", file("route:\n  groupWait: soon\n")]);
    expect(badDuration.status).toBe(1);
    expect(badDuration.stderr).toMatch(/route\.groupWait: /);
  });
});
