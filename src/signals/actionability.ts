/** A resolved page as reviewed by the on-call: did it need a human to act? */
export interface ReviewedPage {
  /** Alert name or fingerprint group the page belongs to. */
  readonly alert: string;
  readonly actionable: boolean;
  /** Why it was not actionable ("flapping", "self-healed", "duplicate", …). */
  readonly reason?: string;
}

export interface AlertActionability {
  readonly alert: string;
  readonly pages: number;
  readonly nonActionable: number;
  /** nonActionable / pages, from 0 to 1. */
  readonly nonActionableShare: number;
  /** Counts of each reason given for non-actionable pages, "(none)" when no reason was given. */
  readonly reasons: Readonly<Record<string, number>>;
}

export interface ActionabilityReport {
  readonly pages: number;
  readonly nonActionable: number;
  readonly nonActionableShare: number;
  /** Per alert, noisiest first (highest share, then most non-actionable pages). */
  readonly byAlert: readonly AlertActionability[];
}

/**
 * Share of non-actionable pages per alert. SRE book ch. 6: every page should be actionable, and
 * pages that are not are candidates to become tickets, logs, or to be removed.
 */
export function actionabilityReport(pages: readonly ReviewedPage[]): ActionabilityReport {
  const groups = new Map<string, { pages: number; non: number; reasons: Record<string, number> }>();
  for (const page of pages) {
    const g = groups.get(page.alert) ?? { pages: 0, non: 0, reasons: {} };
    g.pages += 1;
    if (!page.actionable) {
      g.non += 1;
      const reason = page.reason?.trim() || "(none)";
      g.reasons[reason] = (g.reasons[reason] ?? 0) + 1;
    }
    groups.set(page.alert, g);
  }
  const byAlert = [...groups.entries()]
    .map(([alert, g]) => ({
      alert,
      pages: g.pages,
      nonActionable: g.non,
      nonActionableShare: g.non / g.pages,
      reasons: g.reasons,
    }))
    .sort(
      (a, b) =>
        b.nonActionableShare - a.nonActionableShare ||
        b.nonActionable - a.nonActionable ||
        a.alert.localeCompare(b.alert),
    );
  const nonActionable = byAlert.reduce((n, a) => n + a.nonActionable, 0);
  return {
    pages: pages.length,
    nonActionable,
    nonActionableShare: pages.length === 0 ? 0 : nonActionable / pages.length,
    byAlert,
  };
}
