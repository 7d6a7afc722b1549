import { describe, expect, it } from "vitest";
import { registeredErrors } from "../../src/errors/index.js";
import * as incidents from "../../src/incidents/index.js";

describe("incident and postmortem error codes", () => {
  const ours = Object.values(incidents).filter(
    (v): v is typeof v & { code: string; statusCode: number } =>
      typeof v === "function" && typeof (v as { code?: unknown }).code === "string",
  );

  it("are all registered under NINES_ERR_INCIDENT_ or NINES_ERR_POSTMORTEM_ with a 4xx status", () => {
    expect(ours.length).toBeGreaterThanOrEqual(18);
    const registered = new Map(registeredErrors().map((d) => [d.code, d]));
    for (const cls of ours) {
      expect(cls.code).toMatch(/^NINES_ERR_(INCIDENT|POSTMORTEM)_[A-Z_]+$/);
      expect(cls.statusCode).toBeGreaterThanOrEqual(400);
      expect(cls.statusCode).toBeLessThan(500);
      expect(registered.get(cls.code)?.description.length).toBeGreaterThan(20);
    }
  });

  it("are recognised by code without instanceof", () => {
    const error = new incidents.IncidentTransitionIllegalError("x", { from: "resolved", to: "mitigated" });
    expect(error).toMatchObject({
      code: "NINES_ERR_INCIDENT_TRANSITION_ILLEGAL",
      statusCode: 409,
      isNinesError: true,
    });
  });
});
