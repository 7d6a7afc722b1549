import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { sloJsonSchema } from "../../src/slo/spec/index.js";
import { validSlo, withValue } from "./spec-helpers.js";

function nativeExampleDocs(): unknown[] {
  const dir = "examples/slos/native";
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")) as unknown as { toJS(): unknown }[])
    .map((d) => d.toJS());
}

describe("JSON Schema", () => {
  it("is checked in as schemas/slo.schema.json, generated from the TypeBox schemas", () => {
    const file = JSON.parse(readFileSync("schemas/slo.schema.json", "utf8")) as unknown;
    // If this fails, regenerate: npx tsx bin/… or `nines slo schema > schemas/slo.schema.json`.
    expect(file).toEqual(sloJsonSchema());
  });

  it("accepts every native example and refuses what the validator refuses structurally", () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(sloJsonSchema());
    for (const doc of nativeExampleDocs()) expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(withValue(validSlo(), "spec.objectiv", { target: 99 }))).toBe(false);
    expect(validate(withValue(validSlo(), "spec.window.rolling", "30days"))).toBe(false);
    expect(validate(validSlo())).toBe(true);
  });
});
