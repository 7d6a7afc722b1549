import type { FastifyBaseLogger } from "fastify";
import type { SignalsStore } from "../signals/signals.store.js";
import type { IncidentStore, StoredIncident } from "./incident.store.js";
import type { IncidentService } from "./incident-service.js";
import { pageSummary } from "./pages-signal-source.js";
import type { SeverityLevel } from "./severity.js";
import { DETECTOR_ACTOR } from "./unpaged-burn-task.js";

/** A claim older than this is taken to belong to a replica that died while declaring. */
export const STALE_CLAIM_MS = 5 * 60_000;

export interface PageIncidentsDeps {
  readonly signals: SignalsStore;
  readonly incidents: IncidentService;
  readonly store: IncidentStore;
  readonly log: FastifyBaseLogger;
  readonly now?: () => number;
}

/**
 * Incidents declared automatically for pages opened on routing routes with `declareIncident`.
 * The pipeline stores the request in the page's own transaction; right after the commit the
 * ingesting replica declares the incident, and the leader's sweep declares any a crash left
 * behind. One incident per page: a request is claimed by compare-and-set, and a page that
 * already has an incident (declared by hand, or by an earlier attempt) gets no second one.
 */
export function pageIncidents(deps: PageIncidentsDeps) {
  const now = deps.now ?? Date.now;
  return {
    /**
     * Declares the incidents these pages asked for; without `pageIds`, every waiting request
     * (unclaimed, or claimed longer than {@link STALE_CLAIM_MS} ago).
     */
    async declareRequested(pageIds?: readonly number[]): Promise<StoredIncident[]> {
      const at = now();
      const wanted = new Set(pageIds ?? []);
      const requests = (await deps.signals.incidentRequests()).filter((r) =>
        pageIds === undefined
          ? r.claimedAt === null || at - r.claimedAt > STALE_CLAIM_MS
          : wanted.has(r.pageId) && r.claimedAt === null,
      );
      const declared: StoredIncident[] = [];
      for (const r of requests.sort((a, b) => a.pageId - b.pageId)) {
        if (!(await deps.signals.claimIncidentRequest(r, at))) continue;
        const id = String(r.pageId);
        const page = await deps.signals.page(r.pageId);
        if (page !== undefined && (await deps.store.declaredFromPage(id)) === undefined) {
          const summary = pageSummary(page);
          const incident = await deps.incidents.declare(
            {
              title: page.title,
              severity: r.severity as SeverityLevel,
              services: [page.service],
              fromPageId: id,
              detectedAt: page.createdAt,
            },
            DETECTOR_ACTOR,
            {
              source: "page",
              timeline: [
                {
                  at,
                  kind: "note",
                  text: `Declared automatically: routing rule ${summary.rule} declares a ${r.severity} incident for each page it opens`,
                  actor: DETECTOR_ACTOR,
                },
              ],
            },
          );
          if (incident) {
            declared.push(incident);
            deps.log.warn(
              { incident: incident.incident.id, page: r.pageId, rule: r.route },
              "incident declared for a page by its routing rule",
            );
          }
        }
        await deps.signals.dropIncidentRequest(r.pageId);
      }
      return declared;
    },
  };
}

export type PageIncidents = ReturnType<typeof pageIncidents>;
