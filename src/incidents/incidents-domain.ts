import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { BackgroundTask } from "../server/background.js";
import { intervalTask } from "../server/interval-task.js";
import type { SloRuntime } from "../slo/slo-runtime.js";
import { type IncidentStore, incidentStore } from "./incident.store.js";
import { type IncidentService, incidentService } from "./incident-service.js";
import { type IncidentSignalSource, noSignalSource } from "./incident-signal-source.js";
import { type IncidentsConfig, policyFromConfig } from "./incidents.config.js";
import { type PostmortemStore, postmortemStore } from "./postmortem.store.js";
import { type PostmortemService, postmortemService } from "./postmortem-service.js";
import { sloBudgetReader } from "./slo-budget.js";
import { runUnpagedBurnDetector } from "./unpaged-burn-task.js";

export interface IncidentsDomain {
  readonly store: IncidentStore;
  readonly postmortemStore: PostmortemStore;
  readonly incidents: IncidentService;
  readonly postmortems: PostmortemService;
  /** One run of the "found without paging" detector (the leader runs it every detectorIntervalSeconds). */
  detectUnpagedBurn(now?: number): ReturnType<typeof runUnpagedBurnDetector>;
  /** Leader only: the detector. */
  readonly leaderTasks: readonly BackgroundTask[];
}

export interface IncidentsDomainOptions {
  readonly config: IncidentsConfig;
  readonly sloRuntime: SloRuntime;
  /** Pages and signals; until the signals domain is wired in, nothing pages. */
  readonly signals?: IncidentSignalSource;
  readonly now?: () => number;
}

/** Wires incidents, postmortems, action items and the detector for one replica. */
export function createIncidentsDomain(
  db: Kysely<Database>,
  log: FastifyBaseLogger,
  options: IncidentsDomainOptions,
): IncidentsDomain {
  const now = options.now ?? Date.now;
  const signals = options.signals ?? noSignalSource;
  const store = incidentStore(db);
  const pmStore = postmortemStore(db);
  const budget = sloBudgetReader(options.sloRuntime);
  const incidents = incidentService({
    incidents: store,
    postmortems: pmStore,
    signals,
    budget,
    policy: policyFromConfig(options.config),
    now,
  });
  const postmortems = postmortemService({
    incidents: store,
    incidentService: incidents,
    postmortems: pmStore,
    now,
  });
  const detect = (at = now()) =>
    runUnpagedBurnDetector({
      incidents: store,
      service: incidents,
      budget,
      signals,
      threshold: options.config.detectorThresholdPercent / 100,
      windowMs: Math.round(options.config.detectorWindowHours * 3_600_000),
      now: at,
    });
  return {
    store,
    postmortemStore: pmStore,
    incidents,
    postmortems,
    detectUnpagedBurn: detect,
    leaderTasks: options.config.detectorEnabled
      ? [
          intervalTask(
            "incidents-unpaged-burn",
            options.config.detectorIntervalSeconds * 1000,
            async () => {
              const declared = await detect();
              for (const d of declared) {
                log.warn(
                  { incident: d.incident.id, slos: d.incident.slos },
                  "incident declared: budget burn without a page",
                );
              }
            },
            log,
          ),
        ]
      : [],
  };
}
