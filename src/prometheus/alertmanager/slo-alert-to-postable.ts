import type { Severity } from "../../slo/model.js";
import { alertName } from "../rules/alert-name.js";
import type { PostableAlert } from "./postable-alert.js";

/** A transition of one SLO alert line, as the nines evaluator reports it. */
export interface SloAlertEvent {
  readonly sloId: string;
  readonly service: string;
  /** Name of the policy line (`page-fast`): the `tier` label. */
  readonly line: string;
  readonly severity: Severity;
  readonly state: "firing" | "resolved";
  /** When the transition happened, ISO 8601 or ms since the epoch. */
  readonly at: string | number;
  /** When a firing alert started; defaults to `at`. */
  readonly startedAt?: string | number;
  /** The SLO's labels and then the line's, copied onto the alert like the compiled rules do. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The policy's shared alert name (Sloth `alerting.name`); default `NinesSloBurn<Line>`. */
  readonly alertName?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly runbook?: string;
  readonly dashboard?: string;
  readonly url?: string;
}

export interface ToPostableOptions {
  /**
   * How long a firing alert stays active in Alertmanager without being re-sent (default 5 min,
   * Alertmanager's `resolve_timeout`); the sender must re-post firing alerts within it.
   */
  readonly validForMs?: number;
}

const iso = (t: string | number): string => new Date(t).toISOString();

/**
 * Maps a nines SLO alert event to an Alertmanager API v2 postable alert. The labels equal those
 * of the compiled Prometheus rule for the same line (alertname `NinesSloBurn<Line>`, severity,
 * tier, nines_slo, nines_service, SLO labels), so Alertmanager deduplicates an alert raised by
 * both nines and Prometheus. A resolved event sets `endsAt` to its time, which resolves it.
 */
export function sloAlertToPostable(event: SloAlertEvent, opts: ToPostableOptions = {}): PostableAlert {
  const at = new Date(event.at).getTime();
  const annotations: Record<string, string> = {};
  if (event.summary !== undefined) annotations["summary"] = event.summary;
  if (event.description !== undefined) annotations["description"] = event.description;
  if (event.runbook !== undefined) annotations["runbook"] = event.runbook;
  if (event.dashboard !== undefined) annotations["dashboard"] = event.dashboard;
  return {
    labels: {
      ...event.labels,
      alertname: event.alertName ?? alertName(event.line),
      nines_slo: event.sloId,
      nines_service: event.service,
      severity: event.severity,
      tier: event.line,
    },
    annotations,
    startsAt: iso(event.startedAt ?? event.at),
    endsAt: event.state === "resolved" ? iso(at) : iso(at + (opts.validForMs ?? 300_000)),
    ...(event.url === undefined ? {} : { generatorURL: event.url }),
  };
}
