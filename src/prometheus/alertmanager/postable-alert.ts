import { type Static, Type } from "typebox";

const LabelSet = Type.Record(Type.String(), Type.String());

/** One alert of Alertmanager's API v2 `POST /api/v2/alerts` body (`postableAlert`). */
export const PostableAlertSchema = Type.Object({
  labels: LabelSet,
  annotations: Type.Optional(LabelSet),
  startsAt: Type.Optional(Type.String({ format: "date-time" })),
  endsAt: Type.Optional(Type.String({ format: "date-time" })),
  generatorURL: Type.Optional(Type.String()),
});
export type PostableAlert = Static<typeof PostableAlertSchema>;

/** The body of `POST /api/v2/alerts`: an array of postable alerts. */
export const PostableAlertsSchema = Type.Array(PostableAlertSchema);
export type PostableAlerts = Static<typeof PostableAlertsSchema>;
