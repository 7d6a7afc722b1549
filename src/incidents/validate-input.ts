import type { TSchema } from "typebox";
import { Value } from "typebox/value";
import type { NinesErrorClass } from "../errors/index.js";
import { ActionItemInvalidError, IncidentInputInvalidError, PostmortemInputInvalidError } from "./errors.js";
import {
  type ActionItemInput,
  ActionItemInputSchema,
  type IncidentInput,
  IncidentInputSchema,
  type IncidentStatusChangeInput,
  IncidentStatusChangeSchema,
  type InterventionInput,
  InterventionInputSchema,
  type PostmortemEditInput,
  PostmortemEditSchema,
  type PostmortemInput,
  PostmortemInputSchema,
  type ReviewCommentInput,
  ReviewCommentSchema,
  type ReviewSubmitInput,
  ReviewSubmitSchema,
  type RoleChangeInput,
  RoleChangeSchema,
} from "./schemas.js";

/** One schema violation: `path` uses dots and brackets, e.g. `actionItems[0].issueUrl`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

function toPath(pointer: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(part) ? `[${part}]` : path === "" ? part : `.${part}`;
  }
  return path;
}

function join(parent: string, child: string): string {
  return parent === "" ? child : `${parent}.${child}`;
}

/**
 * Lists schema violations by field path, one message per path. A wrong value for a union or
 * enum yields one "must be one of" line, not one line per alternative.
 */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  const byPath = new Map<string, string>();
  for (const e of Value.Errors(schema, value)) {
    const base = toPath(e.instancePath);
    if (e.keyword === "required") {
      const params = e.params as { requiredProperties: string[] };
      for (const p of params.requiredProperties) byPath.set(join(base, p), "is required");
    } else if (e.keyword === "additionalProperties") {
      const params = e.params as { additionalProperties: string[] };
      for (const p of params.additionalProperties) byPath.set(join(base, p), "is not a known field");
    } else if (e.keyword === "enum") {
      const params = e.params as { allowedValues: unknown[] };
      byPath.set(base, `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`);
    } else if (e.keyword === "boolean" && e.schemaPath.endsWith("additionalProperties")) {
      // Reported by the "additionalProperties" entry of the parent object.
    } else if (e.keyword === "pattern" && /url/i.test(base)) {
      byPath.set(base, "must be an http or https URL");
    } else if (!byPath.has(base)) {
      byPath.set(base, e.message);
    }
  }
  return [...byPath].map(([path, message]) => ({ path: path === "" ? "(root)" : path, message }));
}

/**
 * Builds a validator that returns the value typed as `T` or throws `ErrorClass` with
 * `details.errors` (a list of {@link FieldError}).
 * @example const validateNote = validator<Note>(NoteSchema, IncidentInputInvalidError, "note");
 */
export function validator<T>(
  schema: TSchema,
  ErrorClass: NinesErrorClass,
  what: string,
): (value: unknown) => T {
  return (value) => {
    const errors = fieldErrors(schema, value);
    if (errors.length > 0) {
      const first = errors[0];
      throw new ErrorClass(`${what} is invalid: ${first?.path} ${first?.message}`, { errors });
    }
    return value as T;
  };
}

/** Validates "declare an incident"; throws NINES_ERR_INCIDENT_INPUT_INVALID with `details.errors`. */
export const validateIncidentInput = validator<IncidentInput>(
  IncidentInputSchema,
  IncidentInputInvalidError,
  "incident",
);
/** Validates "start a postmortem"; throws NINES_ERR_POSTMORTEM_INPUT_INVALID with `details.errors`. */
export const validatePostmortemInput = validator<PostmortemInput>(
  PostmortemInputSchema,
  PostmortemInputInvalidError,
  "postmortem",
);
/** Validates a postmortem edit; throws NINES_ERR_POSTMORTEM_INPUT_INVALID with `details.errors`. */
export const validatePostmortemEdit = validator<PostmortemEditInput>(
  PostmortemEditSchema,
  PostmortemInputInvalidError,
  "postmortem edit",
);
/** Validates an action item; throws NINES_ERR_POSTMORTEM_ACTION_ITEM_INVALID with `details.errors`. */
export const validateActionItemInput = validator<ActionItemInput>(
  ActionItemInputSchema,
  ActionItemInvalidError,
  "action item",
);
/** Validates a status change body; throws NINES_ERR_INCIDENT_INPUT_INVALID. */
export const validateIncidentStatusChange = validator<IncidentStatusChangeInput>(
  IncidentStatusChangeSchema,
  IncidentInputInvalidError,
  "status change",
);
/** Validates a role change body; throws NINES_ERR_INCIDENT_INPUT_INVALID. */
export const validateRoleChange = validator<RoleChangeInput>(
  RoleChangeSchema,
  IncidentInputInvalidError,
  "role change",
);
/** Validates an intervention body; throws NINES_ERR_INCIDENT_INPUT_INVALID. */
export const validateInterventionInput = validator<InterventionInput>(
  InterventionInputSchema,
  IncidentInputInvalidError,
  "intervention",
);
/** Validates a review submission body; throws NINES_ERR_POSTMORTEM_INPUT_INVALID. */
export const validateReviewSubmit = validator<ReviewSubmitInput>(
  ReviewSubmitSchema,
  PostmortemInputInvalidError,
  "review submission",
);
/** Validates a review comment body; throws NINES_ERR_POSTMORTEM_INPUT_INVALID. */
export const validateReviewComment = validator<ReviewCommentInput>(
  ReviewCommentSchema,
  PostmortemInputInvalidError,
  "review comment",
);
