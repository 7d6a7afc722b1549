import type { ExternalAlertEvent } from "../prometheus/alertmanager/external-alert-event.js";
import type { AlertEvent } from "../slo/evaluator-types.js";
import { LABEL_NAME } from "./matcher.js";
import type { Signal } from "./signal.js";

/**
 * An SLO alert transition as a signal: source "slo", severity "page" or "ticket" per alert line
 * (so the default routing pages on page lines and tickets on ticket lines), one fingerprint per
 * SLO and line, resolved when the line stops firing.
 */
export function sloEventToSignal(event: AlertEvent): Signal {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return {
    source: "slo",
    service: event.service,
    title: `SLO ${event.sloId} burning its error budget (${event.line})`,
    description: `${event.reason}; burn rate ${event.burnRates.long.toFixed(2)} (long) / ${event.burnRates.short.toFixed(2)} (short), budget left ${pct(event.budgetRemaining)}`,
    severity: event.severity,
    labels: { alertname: "SloBurnRate", slo: event.sloId, line: event.line },
    fingerprint: `slo:${event.sloId}:${event.line}`,
    links: [{ title: "SLO", url: `/slos/${event.sloId}` }],
    startsAt: event.at,
    ...(event.state === "resolved" ? { endsAt: event.at } : {}),
  };
}

/**
 * An alert received from Alertmanager as a signal: source "alertmanager", the service from the
 * `service` label (else `job`, else "unknown"), the severity label (else "none"), Alertmanager's
 * fingerprint; a resolved alert ends at its `endsAt` (or when received).
 */
export function alertmanagerEventToSignal(event: ExternalAlertEvent, now: number): Signal {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.labels)) if (LABEL_NAME.test(name)) labels[name] = value;
  const startsAt = Date.parse(event.startsAt);
  const endsAt = event.endsAt === undefined ? Number.NaN : Date.parse(event.endsAt);
  const description = event.annotations["description"] ?? event.annotations["summary"];
  const team = labels["team"];
  return {
    source: "alertmanager",
    service: labels["service"] ?? labels["job"] ?? "unknown",
    ...(team === undefined ? {} : { team }),
    title: labels["alertname"] ?? "alert",
    ...(description === undefined ? {} : { description }),
    severity: labels["severity"] ?? "none",
    labels,
    fingerprint: `am:${event.fingerprint}`,
    links: event.generatorUrl === undefined ? [] : [{ title: "source", url: event.generatorUrl }],
    startsAt: Number.isFinite(startsAt) ? startsAt : now,
    // A firing alert's endsAt is Alertmanager's resolve timeout, not an end: only a resolve ends it.
    ...(event.state === "resolved" ? { endsAt: Number.isFinite(endsAt) ? Math.min(endsAt, now) : now } : {}),
  };
}
