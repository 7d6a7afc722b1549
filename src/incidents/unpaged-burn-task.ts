import type { IncidentStore, StoredIncident } from "./incident.store.js";
import type { IncidentService } from "./incident-service.js";
import type { IncidentSignalSource } from "./incident-signal-source.js";
import type { SloBudgetReader } from "./slo-budget.js";
import { type BudgetSample, detectUnpagedBurn, type PageRecord } from "./unpaged-burn-detector.js";

export interface UnpagedBurnRunOptions {
  readonly incidents: IncidentStore;
  readonly service: IncidentService;
  readonly budget: SloBudgetReader;
  readonly signals: IncidentSignalSource;
  /** Fraction of the budget, e.g. 0.05. */
  readonly threshold: number;
  readonly windowMs: number;
  readonly now: number;
}

/** Who the detector declares incidents as. */
export const DETECTOR_ACTOR = "nines";

/**
 * One run of the "found without paging" detector over every SLO: budget spent in the window
 * comes from the SLO runtime, pages from the signals port. Declares one SEV4 incident (source
 * `detector`) per SLO burn episode: an episode lasts while the SLO's spend in the window stays
 * above the threshold, so a long burn is declared once, and again only after it stopped and
 * started anew. SLOs covered by an open incident are left alone.
 */
export async function runUnpagedBurnDetector(options: UnpagedBurnRunOptions): Promise<StoredIncident[]> {
  const { now, windowMs, threshold } = options;
  const from = now - windowMs;
  const slos = options.budget.slos();
  const samples: BudgetSample[] = [];
  const spent = new Map<string, number>();
  for (const slo of slos) {
    const consumed = options.budget.consumed(slo.id, from, now);
    if (consumed === undefined) continue;
    spent.set(slo.id, consumed);
    samples.push({ sloId: slo.id, at: now, consumed });
  }
  const pages: PageRecord[] = [];
  for (const service of new Set(slos.map((s) => s.service))) {
    if ((await options.signals.pagesFor(service, from, now)) > 0) pages.push({ at: now, service });
  }
  const episodes = await options.incidents.openEpisodes();
  const stillBurning: string[] = [];
  for (const e of episodes) {
    if ((spent.get(e.sloId) ?? 0) <= threshold) await options.incidents.endEpisode(e.sloId, now);
    else stillBurning.push(e.sloId);
  }
  const open = await options.incidents.list({ status: "open" });
  const covered = [...new Set([...stillBurning, ...open.flatMap((o) => o.incident.slos)])];
  const proposals = detectUnpagedBurn({
    now,
    samples,
    pages,
    sloServices: Object.fromEntries(slos.map((s) => [s.id, s.service])),
    coveredSloIds: covered,
    threshold,
    windowMs,
  });
  const declared: StoredIncident[] = [];
  for (const p of proposals) {
    const service = p.service ?? p.sloId.split("/")[0] ?? p.sloId;
    const incident = await options.service.declare(
      {
        title: `SLO ${p.sloId} spent ${(p.consumed * 100).toFixed(1)}% of its error budget without a page`,
        severity: "SEV4",
        services: [service],
        slos: [p.sloId],
        impactStartedAt: p.windowStart,
        detectedAt: p.detection.at,
        causeTags: [],
      },
      DETECTOR_ACTOR,
      {
        source: "detector",
        detectionRef: p.detection.ref,
        episode: { sloId: p.sloId, consumed: p.consumed },
        timeline: [
          { at: now, kind: "detection", text: `Found without paging: ${p.reason}`, actor: DETECTOR_ACTOR },
        ],
      },
    );
    if (incident) declared.push(incident);
  }
  return declared;
}
