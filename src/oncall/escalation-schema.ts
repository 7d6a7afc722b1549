import { Type } from "typebox";
import type { FieldError } from "../schema/field-errors.js";
import { fieldErrors } from "../schema/field-errors.js";
import { EscalationPolicyInvalidError } from "./errors.js";
import type { EscalationPolicy } from "./escalation.js";
import { assertEscalationPolicy } from "./escalation.js";

const strict = { additionalProperties: false } as const;
const STEP_SCHEMAS = {
  "notify-schedule": Type.Object(
    {
      kind: Type.Literal("notify-schedule"),
      scheduleId: Type.String({ minLength: 1 }),
      layerId: Type.Optional(Type.String({ minLength: 1, description: "Only this layer's on-call." })),
    },
    strict,
  ),
  "notify-person": Type.Object(
    { kind: Type.Literal("notify-person"), personId: Type.String({ minLength: 1 }) },
    strict,
  ),
  wait: Type.Object({ kind: Type.Literal("wait"), minutes: Type.Number({ minimum: 0 }) }, strict),
};
const StepKind = Type.Union(Object.keys(STEP_SCHEMAS).map((k) => Type.Literal(k)));

/** The schema of an escalation policy (YAML or JSON). */
export const EscalationPolicySchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    steps: Type.Array(Type.Union(Object.values(STEP_SCHEMAS)), { minItems: 1 }),
    repeat: Type.Integer({
      minimum: 0,
      default: 0,
      description: "Extra passes through the steps if nobody acks.",
    }),
  },
  strict,
);

// Steps are checked one by one against the schema of their `kind`, so that an error names the
// field of the step ("steps[2].minutes") rather than "matches no branch of the union".
const OuterSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    steps: Type.Array(Type.Object({ kind: StepKind }), { minItems: 1 }),
    repeat: Type.Integer({ minimum: 0 }),
  },
  strict,
);

/** Every problem with an escalation policy, each named by its field path. */
export function escalationPolicyErrors(input: unknown): FieldError[] {
  const errors = fieldErrors(OuterSchema, input);
  const steps = (input as { steps?: unknown } | null)?.steps;
  if (Array.isArray(steps)) {
    steps.forEach((step: unknown, i) => {
      const kind = (step as { kind?: unknown } | null)?.kind;
      const schema = typeof kind === "string" ? STEP_SCHEMAS[kind as keyof typeof STEP_SCHEMAS] : undefined;
      if (schema === undefined) return;
      for (const e of fieldErrors(schema, step)) {
        errors.push({
          path: e.path === "(root)" ? `steps[${i}]` : `steps[${i}].${e.path}`,
          message: e.message,
        });
      }
    });
  }
  if (errors.length === 0) {
    try {
      assertEscalationPolicy(input as EscalationPolicy);
    } catch (e) {
      errors.push(...((e as { details: FieldError[] }).details ?? []));
    }
  }
  return errors;
}

/** Returns the input as an EscalationPolicy, or throws NINES_ERR_ONCALL_ESCALATION_INVALID listing each field error. */
export function parseEscalationPolicy(input: unknown): EscalationPolicy {
  const errors = escalationPolicyErrors(input);
  if (errors.length > 0) {
    const summary = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new EscalationPolicyInvalidError(`invalid escalation policy: ${summary}`, errors);
  }
  return input as EscalationPolicy;
}
