import { type Static, Type } from "typebox";
import { fieldErrors } from "../schema/field-errors.js";
import { SignalInvalidError } from "./errors.js";
import { LABEL_NAME } from "./matcher.js";
import { fingerprintOf, type Signal } from "./signal.js";

const strict = { additionalProperties: false } as const;
const Instant = Type.String({
  format: "date-time",
  description: "RFC 3339 time, e.g. 2026-03-30T07:00:00Z.",
});

/** A signal as submitted to the API or CLI; times are RFC 3339 strings and the fingerprint is optional. */
export const SignalInputSchema = Type.Object(
  {
    source: Type.String({ minLength: 1 }),
    service: Type.String({ minLength: 1 }),
    team: Type.Optional(Type.String({ minLength: 1 })),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    severity: Type.String({ minLength: 1 }),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    fingerprint: Type.Optional(Type.String({ minLength: 1 })),
    links: Type.Optional(
      Type.Array(
        Type.Object({ title: Type.Optional(Type.String()), url: Type.String({ minLength: 1 }) }, strict),
      ),
    ),
    startsAt: Type.Optional(Instant),
    endsAt: Type.Optional(Instant),
    resolved: Type.Optional(Type.Boolean({ description: "Shortcut for endsAt = now." })),
  },
  strict,
);

export type SignalInput = Static<typeof SignalInputSchema>;

/**
 * Validates a submitted signal and turns it into a {@link Signal}: times become epoch ms
 * (`startsAt` defaults to `now`, `resolved: true` sets `endsAt` to `now`), and a missing
 * fingerprint is derived from source, service, title and labels.
 */
export function toSignal(input: unknown, now: number): Signal {
  const errors = fieldErrors(SignalInputSchema, input);
  const labelsIn = (input as { labels?: unknown } | null)?.labels;
  if (typeof labelsIn === "object" && labelsIn !== null) {
    for (const name of Object.keys(labelsIn)) {
      if (!LABEL_NAME.test(name))
        errors.push({ path: `labels.${name}`, message: "is not a valid label name" });
    }
  }
  if (errors.length > 0) {
    throw new SignalInvalidError(
      `invalid signal: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      errors,
    );
  }
  const raw = input as SignalInput;
  const labels = raw.labels ?? {};
  const endsAt = raw.resolved === true ? now : raw.endsAt === undefined ? undefined : Date.parse(raw.endsAt);
  return {
    source: raw.source,
    service: raw.service,
    ...(raw.team === undefined ? {} : { team: raw.team }),
    title: raw.title,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    severity: raw.severity,
    labels,
    fingerprint:
      raw.fingerprint ??
      fingerprintOf({ ...labels, __source: raw.source, __service: raw.service, __title: raw.title }),
    links: raw.links ?? [],
    startsAt: raw.startsAt === undefined ? now : Date.parse(raw.startsAt),
    ...(endsAt === undefined ? {} : { endsAt }),
  };
}
