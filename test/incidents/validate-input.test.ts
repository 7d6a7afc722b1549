import { describe, expect, it } from "vitest";
import {
  createIncident,
  createPostmortem,
  editPostmortem,
  type NewIncident,
  validateActionItemInput,
  validateIncidentInput,
  validateIncidentStatusChange,
  validateInterventionInput,
  validatePostmortemEdit,
  validatePostmortemInput,
  validateReviewComment,
  validateReviewSubmit,
  validateRoleChange,
} from "../../src/incidents/index.js";
import { DAY, T0 } from "./fixtures.js";

const incident = {
  id: "inc-1",
  title: "Checkout 5xx",
  severity: "SEV2",
  openedAt: T0,
  openedBy: "alice",
  detection: { source: "page", at: T0 },
  services: ["checkout"],
};

const actionItem = {
  id: "ai-1",
  description: "Validate configs",
  type: "prevent",
  owner: "bob",
  priority: "P1",
  dueAt: T0 + DAY,
  status: "open",
  issueUrl: "https://tracker.example/1",
};

function errorsOf(fn: () => unknown): { code: string; paths: Record<string, string> } {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; details: { errors: Array<{ path: string; message: string }> } };
    return { code: e.code, paths: Object.fromEntries(e.details.errors.map((x) => [x.path, x.message])) };
  }
  throw new TypeError("expected a validation error");
}

describe("input validation", () => {
  it("accepts a well-formed incident, postmortem and action item", () => {
    expect(validateIncidentInput(incident)).toEqual(incident);
    expect(
      validatePostmortemInput({
        id: "pm-1",
        incidentId: "inc-1",
        title: "Outage",
        authors: ["alice"],
        createdAt: T0,
      }),
    ).toMatchObject({ id: "pm-1" });
    expect(validateActionItemInput(actionItem)).toEqual(actionItem);
  });

  it("names a missing field and an unknown severity", () => {
    const { title: _t, ...noTitle } = incident;
    const result = errorsOf(() => validateIncidentInput({ ...noTitle, severity: "SEV5" }));
    expect(result.code).toBe("NINES_ERR_INCIDENT_INPUT_INVALID");
    expect(result.paths).toEqual({
      title: "is required",
      severity: 'must be one of "SEV1", "SEV2", "SEV3", "SEV4"',
    });
  });

  it("names nested paths: a wrong detection source and a fractional time", () => {
    const result = errorsOf(() =>
      validateIncidentInput({ ...incident, detection: { source: "pager", at: T0 + 0.5 } }),
    );
    expect(Object.keys(result.paths).sort()).toEqual(["detection.at", "detection.source"]);
  });

  it("reports unknown fields and an empty services list", () => {
    const result = errorsOf(() => validateIncidentInput({ ...incident, services: [], color: "red" }));
    expect(result.paths.color).toBe("unknown field");
    expect(result.paths.services).toBeDefined();
  });

  it("rejects an action item whose issue URL is not http or https, naming the field", () => {
    const result = errorsOf(() =>
      validateActionItemInput({ ...actionItem, issueUrl: "ftp://tracker.example/1" }),
    );
    expect(result).toEqual({
      code: "NINES_ERR_POSTMORTEM_ACTION_ITEM_INVALID",
      paths: { issueUrl: "must be an http or https URL" },
    });
  });

  it("names array positions in a postmortem edit", () => {
    const result = errorsOf(() =>
      validatePostmortemEdit({
        actionItems: [actionItem, { ...actionItem, priority: "P9" }],
        links: [{ title: "graph", url: "mailto:ops@example.com" }],
      }),
    );
    expect(result.code).toBe("NINES_ERR_POSTMORTEM_INPUT_INVALID");
    expect(result.paths["actionItems[1].priority"]).toMatch(/must be one of/);
    expect(result.paths["links[0].url"]).toBe("must be an http or https URL");
  });

  it("rejects a postmortem without authors and a non-object body", () => {
    const result = errorsOf(() =>
      validatePostmortemInput({ id: "pm-1", incidentId: "inc-1", title: "x", authors: [], createdAt: T0 }),
    );
    expect(Object.keys(result.paths)).toEqual(["authors"]);
    expect(errorsOf(() => validatePostmortemInput("hello")).paths).toHaveProperty("(root)");
  });
});

describe("action body validation", () => {
  it("validates status changes, role changes, interventions and review bodies by field", () => {
    expect(validateIncidentStatusChange({ to: "mitigated", note: "rolled back" })).toEqual({
      to: "mitigated",
      note: "rolled back",
    });
    expect(validateRoleChange({ role: "scribe", person: null })).toEqual({ role: "scribe", person: null });
    expect(() => validateRoleChange({ role: "captain", person: "bob" })).toThrow(
      expect.objectContaining({
        code: "NINES_ERR_INCIDENT_INPUT_INVALID",
        details: {
          errors: [
            { path: "role", message: 'must be one of "commander", "communications", "operations", "scribe"' },
          ],
        },
      }),
    );
    expect(() => validateInterventionInput({ kind: "rollback", at: -5 })).toThrow(
      expect.objectContaining({ details: { errors: [expect.objectContaining({ path: "at" })] } }),
    );
    expect(() => validateReviewSubmit({ reviewers: [] })).toThrow(
      expect.objectContaining({ code: "NINES_ERR_POSTMORTEM_INPUT_INVALID" }),
    );
    expect(() => validateReviewComment({ text: "" })).toThrow(
      expect.objectContaining({ details: { errors: [expect.objectContaining({ path: "text" })] } }),
    );
  });
});

describe("validated bodies feed the core", () => {
  it("applies a validated postmortem edit to a draft and ties its action items to the postmortem", () => {
    const pm = createPostmortem({
      id: "pm-1",
      incidentId: "inc-1",
      title: "x",
      authors: ["alice"],
      createdAt: T0,
    });
    const edit = validatePostmortemEdit({ summary: "Checkout was down.", actionItems: [actionItem] });
    const edited = editPostmortem(pm, "alice", edit, T0 + 1);
    expect(edited.actionItems).toEqual([{ ...actionItem, postmortemId: "pm-1" }]);
    const inc = createIncident(validateIncidentInput(incident) as NewIncident);
    expect(inc.status).toBe("investigating");
  });
});
