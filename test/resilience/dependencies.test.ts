import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("../../src/resilience/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));

describe("nines/resilience packaging", () => {
  it("imports no npm package at run time (type-only imports of fastify are erased)", () => {
    const runtime: string[] = [];
    for (const file of files) {
      const source = readFileSync(dir + file, "utf8");
      for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)) {
        const [, , typeOnly, specifier] = match;
        if (typeOnly || specifier!.startsWith(".") || specifier!.startsWith("node:")) continue;
        runtime.push(`${file}: ${specifier}`);
      }
    }
    expect(files.length).toBeGreaterThan(10);
    expect(runtime).toEqual([]);
  });

  it("reaches outside its folder only for the shared error classes", () => {
    for (const file of files) {
      const source = readFileSync(dir + file, "utf8");
      for (const match of source.matchAll(/from\s+"(\.\.\/[^"]+)"/g))
        expect(match[1]).toBe("../errors/index.js");
    }
  });
});
