import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ValidationError } from "../errors/index.js";
import { errorResponses } from "../server/common.schemas.js";
import { InstantQuery } from "./oncall.schemas.js";
import type { OncallStore } from "./oncall.store.js";
import { OncallNotFoundError } from "./oncall-api-errors.js";
import { parseInstant, scheduleTimeZone } from "./oncall-views.js";
import { MAX_PAGE_LOAD_PAGES, type PageTimes, pageLoad, scheduleOwners } from "./page-load.js";
import { PageLoadDto, type PageLoadView } from "./page-load.schemas.js";
import { MAX_SHIFTS_RANGE_MS } from "./shifts.js";

export interface PageLoadRoutesOptions {
  readonly store: OncallStore;
  readonly pageTimes: PageTimes;
}

const DAY_MS = 86_400_000;
const strict = { additionalProperties: false } as const;

function rangeError(path: string, message: string): never {
  throw new ValidationError(`invalid request: ${path} ${message}`, [{ path, message }]);
}

/** `GET /api/v1/schedules/:id/page-load`: pages per shift, per person, against the SRE book's guide. */
export const pageLoadRoutes: FastifyPluginAsyncTypebox<PageLoadRoutesOptions> = async (app, options) => {
  const { store, pageTimes } = options;
  app.get(
    "/api/v1/schedules/:id/page-load",
    {
      schema: {
        tags: ["oncall"],
        summary:
          "Pages per shift of a schedule's final timeline over [from, to) (default: the last 28 days), by page creation time, with per-person totals; shifts above the SRE book's guide (two pages per 12 hours) are flagged. Pages count for a schedule when they belong to a team that lists it, or have no team and are of a service such a team owns.",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict),
        querystring: Type.Object(
          { from: Type.Optional(InstantQuery), to: Type.Optional(InstantQuery) },
          strict,
        ),
        response: { 200: PageLoadDto, ...errorResponses },
      },
    },
    async (request): Promise<PageLoadView> => {
      const { from: rawFrom, to: rawTo } = request.query;
      const to = rawTo === undefined ? Date.now() : parseInstant(rawTo, "querystring.to");
      const from = rawFrom === undefined ? to - 28 * DAY_MS : parseInstant(rawFrom, "querystring.from");
      if (!(to > from))
        rangeError(rawTo === undefined ? "querystring.from" : "querystring.to", "must be after from");
      if (to - from > MAX_SHIFTS_RANGE_MS)
        rangeError("querystring.to", `must be at most ${MAX_SHIFTS_RANGE_MS / DAY_MS} days after from`);
      const schedule = await store.get("schedules", request.params.id);
      if (schedule === undefined)
        throw new OncallNotFoundError(`no schedule "${request.params.id}"`, {
          kind: "schedules",
          id: request.params.id,
        });
      const [teams, services, people] = await Promise.all([
        store.list("teams"),
        store.list("services"),
        store.list("people"),
      ]);
      const owners = scheduleOwners(schedule.id, teams, services);
      const pages = await pageTimes.pagesFor(owners, from, to, MAX_PAGE_LOAD_PAGES + 1);
      const truncated = pages.length > MAX_PAGE_LOAD_PAGES;
      const load = pageLoad(
        schedule,
        owners,
        truncated ? pages.slice(0, MAX_PAGE_LOAD_PAGES) : pages,
        from,
        to,
      );
      const names = new Map(people.map((p) => [p.id, p.name] as const));
      return {
        schedule: { id: schedule.id, name: schedule.name, timeZone: scheduleTimeZone(schedule) },
        from: load.from,
        to: load.to,
        owners: { teams: [...load.owners.teams], services: [...load.owners.services] },
        guide: load.guide,
        shifts: load.shifts.map((s) => ({
          ...s,
          name: s.personId === null ? null : (names.get(s.personId) ?? s.personId),
        })),
        people: load.people.map((p) => ({ ...p, name: names.get(p.personId) ?? p.personId })),
        unattended: load.unattended,
        totalPages: load.totalPages,
        overloadedShifts: load.overloadedShifts,
        truncated,
      };
    },
  );
};
