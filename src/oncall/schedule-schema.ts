import { Type } from "typebox";
import type { FieldError } from "../schema/field-errors.js";
import { fieldErrors } from "../schema/field-errors.js";
import { ScheduleInvalidError } from "./errors.js";
import type { Schedule } from "./model.js";
import { isTimeZone, parseClock, parseLocalDate } from "./zoned-time.js";

const strict = { additionalProperties: false } as const;
const Clock = Type.String({ pattern: "^\\d{2}:\\d{2}$", description: "Wall-clock time HH:MM." });
const Weekday = Type.Union(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => Type.Literal(d)));

/** The schema of a schedule (YAML or JSON), checked before `validateSchedule`'s semantic checks. */
export const ScheduleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    layers: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          name: Type.String({ minLength: 1 }),
          rotation: Type.Object(
            {
              participants: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
              length: Type.Object(
                {
                  unit: Type.Union([Type.Literal("hours"), Type.Literal("days"), Type.Literal("weeks")]),
                  count: Type.Integer({ minimum: 1 }),
                },
                strict,
              ),
              handoffTime: Clock,
              timeZone: Type.String({ minLength: 1 }),
              startDate: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
            },
            strict,
          ),
          restrictions: Type.Optional(
            Type.Array(
              Type.Object(
                { days: Type.Optional(Type.Array(Weekday, { minItems: 1 })), start: Clock, end: Clock },
                strict,
              ),
            ),
          ),
        },
        strict,
      ),
    ),
    overrides: Type.Array(
      Type.Object(
        {
          id: Type.Optional(Type.String()),
          personId: Type.String({ minLength: 1 }),
          start: Type.Number(),
          end: Type.Number(),
          reason: Type.Optional(Type.String()),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** Every problem with a schedule, each named by its field path ("layers[1].rotation.timeZone"). */
export function scheduleErrors(input: unknown): FieldError[] {
  const errors = fieldErrors(ScheduleSchema, input);
  if (errors.length > 0) return errors;
  const schedule = input as Schedule;
  const layerIds = new Set<string>();
  schedule.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (layerIds.has(layer.id))
      errors.push({ path: `${at}.id`, message: `duplicate layer id "${layer.id}"` });
    layerIds.add(layer.id);
    const r = layer.rotation;
    if (!isTimeZone(r.timeZone))
      errors.push({ path: `${at}.rotation.timeZone`, message: `unknown time zone "${r.timeZone}"` });
    const handoff = parseClock(r.handoffTime);
    if (handoff === undefined || handoff === 1440) {
      errors.push({ path: `${at}.rotation.handoffTime`, message: "must be a time between 00:00 and 23:59" });
    }
    if (parseLocalDate(r.startDate) === undefined) {
      errors.push({ path: `${at}.rotation.startDate`, message: "must be a real calendar date YYYY-MM-DD" });
    }
    (layer.restrictions ?? []).forEach((w, j) => {
      const start = parseClock(w.start);
      if (start === undefined || start === 1440) {
        errors.push({
          path: `${at}.restrictions[${j}].start`,
          message: "must be a time between 00:00 and 23:59",
        });
      }
      if (parseClock(w.end) === undefined) {
        errors.push({
          path: `${at}.restrictions[${j}].end`,
          message: "must be a time between 00:00 and 24:00",
        });
      }
    });
  });
  schedule.overrides.forEach((o, i) => {
    if (!(o.end > o.start)) errors.push({ path: `overrides[${i}].end`, message: "must be after start" });
  });
  return errors;
}

/** Returns the input as a Schedule, or throws NINES_ERR_ONCALL_SCHEDULE_INVALID listing each field error. */
export function parseSchedule(input: unknown): Schedule {
  const errors = scheduleErrors(input);
  if (errors.length > 0) {
    const summary = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new ScheduleInvalidError(`invalid schedule: ${summary}`, errors);
  }
  return input as Schedule;
}
