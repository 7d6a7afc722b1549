import { describe, expect, it } from "vitest";
import { registeredErrors } from "../../src/errors/index.js";
import "../../src/resilience/index.js";

describe("resilience error codes", () => {
  it("registers each code with its HTTP status", () => {
    const codes = Object.fromEntries(
      registeredErrors()
        .filter((e) => e.code.startsWith("NINES_ERR_RESILIENCE_"))
        .map((e) => [e.code, e.statusCode]),
    );
    expect(codes).toEqual({
      NINES_ERR_RESILIENCE_BUDGET_EXHAUSTED: 503,
      NINES_ERR_RESILIENCE_CIRCUIT_OPEN: 503,
      NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED: 504,
      NINES_ERR_RESILIENCE_SHED: 503,
      NINES_ERR_RESILIENCE_TIMEOUT: 504,
    });
  });
});
