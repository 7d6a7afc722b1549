import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { registeredErrors } from "../../src/errors/all.js";
import { renderErrorsDoc } from "../../src/errors/errors-doc.js";
import { repoRoot } from "../support/cli.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("error registry", () => {
  it("is listed completely and exactly in docs/errors.md", () => {
    const doc = readFileSync(join(repoRoot, "docs", "errors.md"), "utf8");
    expect(doc).toBe(renderErrorsDoc());
    const documented = [...doc.matchAll(/^\| `(NINES_ERR_[A-Z0-9_]+)` \| (\d{3}) \|/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(documented).toEqual(registeredErrors().map((e) => `${e.code} ${e.statusCode}`));
  });

  it("holds every error code defined anywhere in src", () => {
    const defined = sourceFiles(join(repoRoot, "src")).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/defineError\(\s*"(NINES_ERR_[A-Z0-9_]+)"/g)].map((m) => m[1]),
    );
    expect(defined.length).toBeGreaterThan(5);
    expect(
      registeredErrors()
        .map((e) => e.code)
        .sort(),
    ).toEqual([...new Set(defined)].sort());
  });

  it("gives each code an HTTP status and a description", () => {
    for (const error of registeredErrors()) {
      expect(error.statusCode).toBeGreaterThanOrEqual(400);
      expect(error.statusCode).toBeLessThan(600);
      expect(error.description.length).toBeGreaterThan(20);
    }
  });

  it("is the only way src raises errors: no bare Error thrown", () => {
    const offenders = sourceFiles(join(repoRoot, "src"))
      .filter((file) => !file.endsWith("define-error.ts"))
      .filter((file) => /throw new (Error|TypeError|RangeError)\(/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
