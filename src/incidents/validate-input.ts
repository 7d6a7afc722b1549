import type { TSchema } from "typebox";
import type { NinesErrorClass } from "../errors/index.js";
import { fieldErrors } from "../schema/field-errors.js";
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

export type { FieldError } from "../schema/field-errors.js";

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
