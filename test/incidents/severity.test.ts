import { describe, expect, it } from "vitest";
import { compareSeverity, DEFAULT_SEVERITY_MEANINGS, severityMeanings } from "../../src/incidents/index.js";

describe("severity", () => {
  it("lets an organization override what a severity means and keeps the other defaults", () => {
    const meanings = severityMeanings({ SEV1: "Payments down in any region" });
    expect(meanings.SEV1).toBe("Payments down in any region");
    expect(meanings.SEV2).toBe(DEFAULT_SEVERITY_MEANINGS.SEV2);
  });

  it("rejects an empty meaning", () => {
    expect(() => severityMeanings({ SEV3: "  " })).toThrow(
      expect.objectContaining({ code: "NINES_ERR_INCIDENT_CONFIG_INVALID", details: { field: "SEV3" } }),
    );
  });

  it("sorts SEV1 before SEV4", () => {
    expect(
      ["SEV3", "SEV1", "SEV4", "SEV2"].sort((a, b) => compareSeverity(a as "SEV1", b as "SEV1")),
    ).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
  });
});
