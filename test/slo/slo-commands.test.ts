import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSpecFiles, sloJsonSchema } from "../../src/slo/spec/index.js";
import { runSlo } from "./run-command.js";
import { validSlo, withValue, yamlOf } from "./spec-helpers.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "nines-slo-"));
}

describe("nines slo validate", () => {
  it("accepts the example directory recursively and exits 0", async () => {
    const run = await runSlo("slo", "validate", "examples/slos");
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/^ok: \d+ SLOs, 1 alert policy in 5 files/m);
  });

  it("prints errors as file:line:col path: message (hint) and exits 1", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, yamlOf(withValue(validSlo(), "spec.objective.target", 100)));
    const run = await runSlo("slo", "validate", dir);
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(
      new RegExp(
        `^${file.replace(/[/\\.]/g, "\\$&")}:\\d+:\\d+ spec\\.objective\\.target: target 100% leaves no error budget.* \\(.+\\)$`,
        "m",
      ),
    );
  });

  it("prints warnings but exits 0", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "high.yml"), yamlOf(withValue(validSlo(), "spec.objective.target", 99.9999)));
    const run = await runSlo("slo", "validate", dir);
    expect(run.exitCode).toBe(0);
    expect(run.err).toMatch(/warning: target 99\.9999%/);
  });

  it("answers JSON with the diagnostics when asked", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.yaml"), yamlOf(withValue(validSlo(), "spec.window.rolling", "1month")));
    const run = await runSlo("slo", "validate", "--output", "json", dir);
    const body = JSON.parse(run.out) as { valid: boolean; diagnostics: { path: string }[] };
    expect(body.valid).toBe(false);
    expect(body.diagnostics.map((d) => d.path)).toEqual(["spec.window.rolling"]);
    expect(run.exitCode).toBe(1);
  });

  it("takes several paths and finds a duplicate across them", async () => {
    const a = tempDir();
    const b = tempDir();
    writeFileSync(join(a, "x.yaml"), yamlOf(validSlo()));
    mkdirSync(join(b, "nested"));
    writeFileSync(join(b, "nested", "y.yaml"), yamlOf(validSlo()));
    const run = await runSlo("slo", "validate", a, b);
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(/already defined in/);
  });

  it("exits 2 for a missing path", async () => {
    const run = await runSlo("slo", "validate", "does/not/exist.yaml");
    expect(run.exitCode).toBe(2);
    expect(run.err).toMatch(/no such file/);
  });
});

describe("nines slo import", () => {
  it("writes one native file per imported SLO that validates cleanly", async () => {
    const out = join(tempDir(), "slos");
    const run = await runSlo(
      "slo",
      "import",
      "examples/slos/sloth",
      "examples/slos/openslo",
      "--out",
      out,
      "--prometheus-url",
      "http://prom:9090",
    );
    expect(run.exitCode).toBe(0);
    const written = readdirSync(out).sort();
    expect(written).toEqual([
      "home-wifi.good-wifi-client-satisfaction.yaml",
      "myservice.requests-availability.yaml",
      "payments.payments-availability.yaml",
      "payments.payments-latency.yaml",
    ]);
    const again = parseSpecFiles(written.map((f) => ({ path: f, text: readFileSync(join(out, f), "utf8") })));
    expect(again.diagnostics).toEqual([]);
    expect(again.slos.map((s) => s.id)).toContain("myservice/requests-availability");
  });

  it("writes nothing when a file has errors, and refuses to overwrite without --force", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "bad.yaml"),
      "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 100\n    sli: { plugin: { id: x } }\n",
    );
    const out = join(dir, "out");
    const failed = await runSlo("slo", "import", join(dir, "bad.yaml"), "--out", out);
    expect(failed.exitCode).toBe(1);
    expect(() => readdirSync(out)).toThrow();
    const first = await runSlo("slo", "import", "examples/slos/sloth/myservice.yaml", "--out", out);
    expect(first.exitCode).toBe(0);
    const second = await runSlo("slo", "import", "examples/slos/sloth/myservice.yaml", "--out", out);
    expect(second.exitCode).toBe(1);
    expect(second.err).toMatch(/already exists/);
    const forced = await runSlo(
      "slo",
      "import",
      "examples/slos/sloth/myservice.yaml",
      "--out",
      out,
      "--force",
    );
    expect(forced.exitCode).toBe(0);
  });
});

describe("nines slo schema", () => {
  it("prints the JSON Schema", async () => {
    const run = await runSlo("slo", "schema");
    expect(JSON.parse(run.out)).toEqual(sloJsonSchema());
  });
});

describe("nines slo explain", () => {
  it("shows the 51.84 s detection of a total outage for the 99.9% page", async () => {
    const run = await runSlo(
      "slo",
      "explain",
      "examples/slos/native/checkout.yaml",
      "--slo",
      "checkout/availability",
    );
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/43m12s of full outage/);
    expect(run.out).toMatch(/^page-fast\s+page\s+14\.4\s+1h\s+5m\s+1\.44%\s+51\.84s/m);
  });

  it("explains a given error rate as JSON, with never-firing lines as null detection", async () => {
    const run = await runSlo(
      "slo",
      "explain",
      "examples/slos/native/checkout.yaml",
      "--slo",
      "checkout/availability",
      "--error-rate",
      "1%",
      "-o",
      "json",
    );
    const [e] = JSON.parse(run.out) as { lines: { name: string; detectionMs: number | null }[] }[];
    expect(e!.lines.find((l) => l.name === "page-fast")!.detectionMs).toBeNull();
    expect(e!.lines.find((l) => l.name === "page-slow")!.detectionMs).toBeCloseTo(3.6 * 3_600_000, 3);
  });

  it("exits 2 for an error rate outside (0, 1]", async () => {
    const run = await runSlo("slo", "explain", "examples/slos/native/checkout.yaml", "--error-rate", "150%");
    expect(run.exitCode).toBe(2);
  });
});

describe("usage errors", () => {
  it("exits 2 for an unknown --output format and a missing --out", async () => {
    expect((await runSlo("slo", "validate", "-o", "xml", "examples/slos")).exitCode).toBe(2);
    const run = await runSlo("slo", "import", "examples/slos/sloth");
    expect(run.exitCode).toBe(2);
    expect(run.err).toMatch(/--out/);
  });
});
