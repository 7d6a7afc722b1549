import type { TimelineEvent } from "./timeline.js";

/** A timeline line another domain contributes (signal, alert transition, acknowledgement, rollout). */
export type TimelineEntryInput = TimelineEvent;

/** What incidents need to know about a page they were declared from. */
export interface PageSummary {
  readonly id: string;
  readonly at: number;
  readonly service?: string;
  readonly title?: string;
  readonly severity?: string;
  readonly team?: string;
  /** triggered, acknowledged or resolved. */
  readonly status?: string;
  /** The routing rule that made it a page. */
  readonly rule?: string;
  readonly acknowledged?: { readonly at: number; readonly by: string };
}

/**
 * The incidents domain's view of signals and pages (a port: the signals domain implements it).
 * Times are UTC ms; ranges are `[from, to]`.
 */
export interface IncidentSignalSource {
  /** Signals, alert transitions, acknowledgements and rollouts of these services in the range. */
  related(services: readonly string[], from: number, to: number): Promise<TimelineEntryInput[]>;
  /** How many pages went out for the service in the range (the "found without paging" detector). */
  pagesFor(service: string, from: number, to: number): Promise<number>;
  /** The page an incident is declared from, when the signals domain knows it. */
  page(id: string): Promise<PageSummary | undefined>;
}

/** The source used until the signals domain is wired in: no related entries, no pages. */
export const noSignalSource: IncidentSignalSource = {
  related: async () => [],
  pagesFor: async () => 0,
  page: async () => undefined,
};
