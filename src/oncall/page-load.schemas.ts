import { type Static, Type } from "typebox";

const PersonOrGap = Type.Union([Type.String(), Type.Null()], { description: "Null in a gap." });

/** The answer of `GET /api/v1/schedules/:id/page-load`. */
export const PageLoadDto = Type.Object({
  schedule: Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }),
  from: Type.Number(),
  to: Type.Number(),
  owners: Type.Object(
    { teams: Type.Array(Type.String()), services: Type.Array(Type.String()) },
    { description: "Whose pages count: pages of these teams, or without a team, of these services." },
  ),
  guide: Type.Object(
    { pagesPer12Hours: Type.Number() },
    { description: "SRE book ch. 11: at most two incidents per 12-hour on-call shift." },
  ),
  shifts: Type.Array(
    Type.Object({
      start: Type.Number(),
      end: Type.Number(),
      personId: PersonOrGap,
      name: PersonOrGap,
      pages: Type.Integer(),
      limit: Type.Number({ description: "The guide scaled to the shift's length." }),
      overloaded: Type.Boolean(),
    }),
  ),
  people: Type.Array(
    Type.Object({
      personId: Type.String(),
      name: Type.String(),
      shifts: Type.Integer(),
      hours: Type.Number(),
      pages: Type.Integer(),
      pagesPer12Hours: Type.Number(),
      overloadedShifts: Type.Integer(),
    }),
  ),
  unattended: Type.Integer({ description: "Pages created while nobody was on call." }),
  totalPages: Type.Integer(),
  overloadedShifts: Type.Integer(),
  truncated: Type.Boolean({ description: "True when more pages matched than one answer reads." }),
});

export type PageLoadView = Static<typeof PageLoadDto>;
