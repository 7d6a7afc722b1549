import { IncidentConfigInvalidError } from "./errors.js";

/** Error budget an SLO consumed in the interval ending at `at`, as a fraction of its window's budget. */
export interface BudgetSample {
  readonly sloId: string;
  readonly at: number;
  readonly consumed: number;
}

/** A page that went out; it covers an SLO when it names the SLO or the SLO's service. */
export interface PageRecord {
  readonly at: number;
  readonly sloId?: string;
  readonly service?: string;
}

export interface UnpagedBurnOptions {
  readonly now: number;
  readonly samples: readonly BudgetSample[];
  readonly pages: readonly PageRecord[];
  /** Service of each SLO, so that a page for the service counts for its SLOs. */
  readonly sloServices?: Readonly<Record<string, string>>;
  /** SLOs already covered by an open incident; no proposal is made for them. */
  readonly coveredSloIds?: readonly string[];
  /** Default 0.05: more than 5% of the budget spent in the window. */
  readonly threshold?: number;
  /** Default 24 h. */
  readonly windowMs?: number;
}

export interface IncidentProposal {
  readonly sloId: string;
  readonly service?: string;
  readonly consumed: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly detection: { readonly source: "budget-burn"; readonly at: number; readonly ref: string };
  readonly reason: string;
}

const DAY_MS = 86_400_000;

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * "Found without paging" (SRE book ch. 1: every serious outage deserves a postmortem, paged or
 * not): an SLO that spent more than `threshold` of its error budget in the last `windowMs`
 * without any page in that window becomes an incident proposal. The default 5% in 24 h is
 * a burn rate of 1.5 on a 30-day window (24 h / 720 h × 1.5), slow enough to stay under the
 * Workbook's paging lines yet worth a human look.
 */
export function detectUnpagedBurn(options: UnpagedBurnOptions): IncidentProposal[] {
  const threshold = options.threshold ?? 0.05;
  const windowMs = options.windowMs ?? DAY_MS;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new IncidentConfigInvalidError("threshold must be in (0, 1]", {
      field: "threshold",
      value: threshold,
    });
  }
  if (!(Number.isInteger(windowMs) && windowMs > 0)) {
    throw new IncidentConfigInvalidError("windowMs must be a positive integer", {
      field: "windowMs",
      value: windowMs,
    });
  }
  const start = options.now - windowMs;
  const inWindow = (at: number): boolean => at > start && at <= options.now;
  const covered = new Set(options.coveredSloIds ?? []);
  const services = options.sloServices ?? {};

  const spent = new Map<string, number>();
  for (const s of options.samples) {
    if (inWindow(s.at)) spent.set(s.sloId, (spent.get(s.sloId) ?? 0) + s.consumed);
  }
  const pages = options.pages.filter((p) => inWindow(p.at));

  const proposals: IncidentProposal[] = [];
  for (const [sloId, consumed] of [...spent].sort(([a], [b]) => a.localeCompare(b))) {
    if (consumed <= threshold || covered.has(sloId)) continue;
    const service = services[sloId];
    const paged = pages.some((p) => p.sloId === sloId || (service !== undefined && p.service === service));
    if (paged) continue;
    const hours = windowMs / 3_600_000;
    proposals.push({
      sloId,
      ...(service !== undefined ? { service } : {}),
      consumed,
      windowStart: start,
      windowEnd: options.now,
      detection: { source: "budget-burn", at: options.now, ref: `unpaged-burn:${sloId}:${options.now}` },
      reason: `SLO ${sloId} spent ${pct(consumed)} of its error budget in the last ${hours} h (threshold ${pct(threshold)}) and nothing paged`,
    });
  }
  return proposals.sort((a, b) => b.consumed - a.consumed || a.sloId.localeCompare(b.sloId));
}
