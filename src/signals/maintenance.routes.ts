import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorResponses } from "../server/common.schemas.js";
import { inRequestPart } from "./field-paths.js";
import {
  CreateMaintenanceBody,
  MaintenanceListQuery,
  MaintenanceParams,
  MaintenanceWindowSchema,
} from "./maintenance.schemas.js";
import {
  type MaintenanceState,
  type MaintenanceStore,
  maintenanceState,
  type StoredMaintenanceWindow,
} from "./maintenance.store.js";
import type { Outcome } from "./signal.js";

export interface MaintenanceRoutesOptions {
  readonly store: MaintenanceStore;
}

const tags = ["maintenance"];

const view = (w: StoredMaintenanceWindow, now: number) => ({
  id: w.id,
  service: w.service,
  timeZone: w.timeZone,
  start: w.start,
  end: w.end,
  recurrence: w.recurrence,
  outcomes: [...w.outcomes],
  reason: w.reason,
  startAt: w.startAt,
  endAt: w.endAt,
  state: maintenanceState(w, now),
  createdBy: w.createdBy,
  createdAt: w.createdAt,
});

/** Maintenance windows per service: while one is on, the service's signals are held back. */
export const maintenanceRoutes: FastifyPluginAsyncTypebox<MaintenanceRoutesOptions> = async (
  app,
  { store },
) => {
  app.post(
    "/api/v1/maintenance-windows",
    {
      schema: {
        tags,
        summary:
          "Plan a maintenance window for a service (local start and end in a time zone, optionally weekly).",
        body: CreateMaintenanceBody,
        response: { 201: MaintenanceWindowSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = Date.now();
      const b = request.body;
      const window = await inRequestPart("body", () =>
        store.create(
          {
            service: b.service,
            start: b.start,
            end: b.end,
            reason: b.reason,
            ...(b.timeZone !== undefined ? { timeZone: b.timeZone } : {}),
            ...(b.recurrence !== undefined ? { recurrence: b.recurrence as "none" | "weekly" } : {}),
            ...(b.outcomes !== undefined ? { outcomes: b.outcomes as Outcome[] } : {}),
          },
          request.principal?.name ?? "anonymous",
          now,
        ),
      );
      return reply.status(201).send(view(window, now));
    },
  );

  app.get(
    "/api/v1/maintenance-windows",
    {
      schema: {
        tags,
        summary: "Maintenance windows, latest start first, with their state now (upcoming, active, past).",
        querystring: MaintenanceListQuery,
        response: { 200: Type.Array(MaintenanceWindowSchema), ...errorResponses },
      },
    },
    async (request) => {
      const now = Date.now();
      const { service, state } = request.query;
      const list = await store.list(
        {
          ...(service !== undefined ? { service } : {}),
          ...(state !== undefined ? { state: state as MaintenanceState } : {}),
        },
        now,
      );
      return list.map((w) => view(w, now));
    },
  );

  app.delete(
    "/api/v1/maintenance-windows/:id",
    {
      schema: {
        tags,
        summary: "Remove a maintenance window.",
        params: MaintenanceParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await store.delete(request.params.id, request.principal?.name ?? "anonymous");
      return reply.status(204).send(null);
    },
  );
};
