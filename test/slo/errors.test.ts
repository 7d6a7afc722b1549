import { describe, expect, it } from "vitest";
import { registeredErrors } from "../../src/errors/index.js";
import {
  SloArgumentInvalidError,
  SloDurationInvalidError,
  SloSpecInvalidError,
} from "../../src/slo/errors.js";
import { parseSpecFilesOrThrow } from "../../src/slo/spec/index.js";
import { validSlo, withValue, yamlOf } from "./spec-helpers.js";

describe("SLO error codes", () => {
  it("registers each code with a 400 status", () => {
    const codes = new Map(registeredErrors().map((e) => [e.code, e.statusCode]));
    for (const cls of [SloSpecInvalidError, SloDurationInvalidError, SloArgumentInvalidError])
      expect(codes.get(cls.code)).toBe(400);
  });

  it("throws NINES_ERR_SLO_SPEC_INVALID with every diagnostic from parseSpecFilesOrThrow", () => {
    const text = yamlOf(withValue(validSlo(), "spec.objective.target", 100));
    try {
      parseSpecFilesOrThrow([{ path: "a.yaml", text }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "NINES_ERR_SLO_SPEC_INVALID", statusCode: 400 });
      expect((error as { details: { diagnostics: unknown[] } }).details.diagnostics).toHaveLength(1);
      expect((error as Error).message).toMatch(/^a\.yaml:\d+:\d+ spec\.objective\.target/);
    }
  });
});
