/** What a signal asks of people (SRE book ch. 1, "Monitoring"): act now, act within days, or nothing yet. */
export type Outcome = "page" | "ticket" | "log";

/** All outcomes from most to least urgent. */
export const OUTCOMES: readonly Outcome[] = ["page", "ticket", "log"];

export type Labels = Readonly<Record<string, string>>;

export interface SignalLink {
  readonly title?: string;
  readonly url: string;
}

/**
 * Any alert-like event: an SLO burn alert, an Alertmanager alert, an API call, a rollout or a
 * training event. Instants are epoch milliseconds.
 */
export interface Signal {
  /** Where it came from: "slo", "alertmanager", "api", "rollout", "training", … */
  readonly source: string;
  readonly service: string;
  readonly team?: string;
  readonly title: string;
  readonly description?: string;
  /** The sender's own severity word ("page", "ticket", "critical", …); routing decides the outcome. */
  readonly severity: string;
  readonly labels: Labels;
  /** Deduplication key: signals with the same fingerprint are the same alert. */
  readonly fingerprint: string;
  readonly links: readonly SignalLink[];
  readonly startsAt: number;
  /** When the condition ended; a signal with endsAt <= now is resolved. */
  readonly endsAt?: number;
}

/**
 * The labels routing, grouping, silences and inhibition see: the signal's own labels plus its
 * fields `source`, `service`, `severity`, `team` and `alertname` (the title unless a label sets it).
 */
export function signalLabels(signal: Signal): Labels {
  const labels: Record<string, string> = { alertname: signal.title, ...signal.labels };
  labels.source = signal.source;
  labels.service = signal.service;
  labels.severity = signal.severity;
  if (signal.team !== undefined) labels.team = signal.team;
  return labels;
}

/**
 * A stable fingerprint of a label set (FNV-1a, 64 bit, over the sorted name/value pairs), as
 * 16 hex digits, for senders that do not give one.
 */
export function fingerprintOf(labels: Labels): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const bytes = new TextEncoder().encode(
    Object.keys(labels)
      .sort()
      .map((k) => `${k}\u0000${labels[k]}\u0000`)
      .join(""),
  );
  for (const b of bytes) {
    hash ^= BigInt(b);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}
