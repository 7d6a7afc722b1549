import { type Static, Type } from "typebox";

const strict = { additionalProperties: false } as const;
const OutcomeSchema = Type.Union([Type.Literal("page"), Type.Literal("ticket"), Type.Literal("log")]);
const LocalTime = (what: string) =>
  Type.String({ maxLength: 16, description: `${what}: local wall-clock time YYYY-MM-DDTHH:MM in timeZone.` });

export const MaintenanceStateSchema = Type.Union([
  Type.Literal("upcoming"),
  Type.Literal("active"),
  Type.Literal("past"),
]);

export const MaintenanceWindowSchema = Type.Object({
  id: Type.String(),
  service: Type.String(),
  timeZone: Type.String(),
  start: Type.String(),
  end: Type.String(),
  recurrence: Type.Union([Type.Literal("none"), Type.Literal("weekly")]),
  outcomes: Type.Array(OutcomeSchema),
  reason: Type.String(),
  startAt: Type.Number({ description: "The first occurrence's start, epoch ms." }),
  endAt: Type.Number(),
  state: MaintenanceStateSchema,
  createdBy: Type.String(),
  createdAt: Type.Number(),
});

export const CreateMaintenanceBody = Type.Object(
  {
    service: Type.String({ minLength: 1, maxLength: 200 }),
    start: LocalTime("Start"),
    end: LocalTime("End"),
    timeZone: Type.Optional(Type.String({ maxLength: 64, description: "IANA zone; default UTC." })),
    recurrence: Type.Optional(
      Type.Union([Type.Literal("none"), Type.Literal("weekly")], {
        description: "weekly repeats at the same local times, following DST.",
      }),
    ),
    outcomes: Type.Optional(
      Type.Array(OutcomeSchema, { maxItems: 3, uniqueItems: true, description: "Held back; default all." }),
    ),
    reason: Type.String({ maxLength: 2000 }),
  },
  strict,
);

export const MaintenanceListQuery = Type.Object(
  {
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    state: Type.Optional(MaintenanceStateSchema),
  },
  strict,
);

export const MaintenanceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, strict);

export type MaintenanceWindowDto = Static<typeof MaintenanceWindowSchema>;
