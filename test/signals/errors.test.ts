import { describe, expect, it } from "vitest";
import { isNinesError, registeredErrors } from "../../src/errors/index.js";
import * as signals from "../../src/signals/index.js";

describe("signals error codes", () => {
  const ours = Object.values(signals).filter(
    (v): v is typeof v & { code: string; statusCode: number } =>
      typeof v === "function" && typeof (v as { code?: unknown }).code === "string",
  );

  it("are all registered under NINES_ERR_SIGNALS_ with a 4xx status and a description", () => {
    expect(ours.length).toBe(5);
    const registered = new Map(registeredErrors().map((d) => [d.code, d]));
    for (const cls of ours) {
      expect(cls.code).toMatch(/^NINES_ERR_SIGNALS_[A-Z_]+$/);
      expect(cls.statusCode).toBeGreaterThanOrEqual(400);
      expect(cls.statusCode).toBeLessThan(500);
      expect(registered.get(cls.code)?.description.length).toBeGreaterThan(20);
    }
  });

  it("are recognised by code without instanceof", () => {
    let caught: unknown;
    try {
      signals.parseLabelArgs(["nope"]);
    } catch (e) {
      caught = e;
    }
    expect(isNinesError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "NINES_ERR_SIGNALS_LABEL_ARG_INVALID", statusCode: 400 });
  });
});
